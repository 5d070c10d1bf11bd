export { buildDomainXml, DomainSpecSchema, NetworkSpecSchema, type DomainSpec } from "./xml/domain";
export { buildVolumeXml, VolumeSpecSchema, type VolumeSpec } from "./xml/volume";
export { runVirsh, runVirshWithXml, withRemoteTempDir, type HostContext } from "./virsh";
export { discoverHost, judgeNvme, type HostFacts, type PoolFacts } from "./discover";
export { probeAccelerator, type Accelerator, type ProbeAcceleratorOptions } from "./probe";
export { createCloneVolume, createSeedVolume, deleteVolume, getVolumePath, listVolumes, type SeedFiles, type VolumeSummary } from "./volumes";
export { defineDomain, destroyDomain, getDomainState, listDomains, shutdownDomain, startDomain, undefineDomain, type DomainSummary } from "./domains";
export { DomainStateSchema, type DomainState } from "./parse";
