// Pure: what libvirt really has on a host against what Skjold's database believes. Only objects
// named with Skjold's prefix may be cleaned up automatically; anything else is only reported.

const SKJOLD_PREFIX = "skj-";
const TRANSIENT_PREFIX = "skjold-probe-"; // the accelerator probe's short-lived domains
const BASE_IMAGE = /-base-.*\.qcow2$/;

export interface DriftInput {
  domains: ReadonlyArray<{ name: string; state: string }>;
  /** each domain's disk sources as `virsh domblklist` reports them: file paths, or volume names for pool volumes */
  domainDisks: Readonly<Record<string, readonly string[]>>;
  volumes: ReadonlyArray<{ pool: string; name: string; path: string }>;
  vms: ReadonlyArray<{ id: string; name: string; domainName: string; state: string; diskVolume: string | null; seedVolume: string | null }>;
  imageVolumes: ReadonlyArray<{ pool: string; volume: string }>;
  /** backup files kept on this host as a backup target (not reported as missing: that is the restore's check) */
  backupVolumes?: ReadonlyArray<{ pool: string; volume: string }>;
  adopted: { domains: readonly string[]; volumes: readonly string[] };
}

export interface Drift {
  /** `volumes`: this domain's disks that go with it on clean-up (Skjold-named, unknown, not a base image) */
  unknownDomains: Array<{
    name: string;
    state: string;
    disks: string[];
    volumes: Array<{ pool: string; name: string }>;
    cleanable: boolean;
  }>;
  missingDomains: Array<{ vmId: string; vmName: string; domainName: string; state: string }>;
  orphanVolumes: Array<{ pool: string; name: string; path: string; cleanable: boolean }>;
  missingVolumes: Array<{ pool: string; name: string; owner: string }>;
  unregisteredImages: Array<{
    pool: string;
    name: string;
    path: string;
    slug?: string | null;
    kernelPath?: string | null;
    initrdPath?: string | null;
  }>;
}

/** States in which a VM's domain must exist on its host. */
const NEEDS_DOMAIN = new Set(["RUNNING", "STOPPED"]);
const HOLDS_VOLUMES = new Set(["PROVISIONING", "RUNNING", "STOPPED", "DELETING"]);

export const volumeKey = (pool: string, name: string) => `${pool}/${name}`;

export function computeDrift(input: DriftInput): Drift {
  // A failed VM holds nothing on its host: what its rollback could not remove is drift (and is
  // removed without an admin once the host answers again, lib/vms/provision/finish-rollbacks.ts).
  const liveVms = input.vms.filter((v) => v.state !== "DELETED" && v.state !== "FAILED");
  const knownDomains = new Set([...liveVms.map((v) => v.domainName), ...input.adopted.domains]);
  const knownVolumeNames = new Set(liveVms.flatMap((v) => [v.diskVolume, v.seedVolume]).filter((n): n is string => Boolean(n)));
  const knownVolumes = new Set([
    ...input.imageVolumes.map((i) => volumeKey(i.pool, i.volume)),
    ...(input.backupVolumes ?? []).map((b) => volumeKey(b.pool, b.volume)),
    ...input.adopted.volumes,
  ]);
  // A backup's scratch file on the VM's host is named after the domain: it is the live VM's.
  const scratchOf = liveVms.map((v) => `${v.domainName}-bk-`);
  const libvirtDomains = new Set(input.domains.map((d) => d.name));

  const isKnownVolume = (v: { pool: string; name: string }) =>
    knownVolumes.has(volumeKey(v.pool, v.name)) || knownVolumeNames.has(v.name) || scratchOf.some((p) => v.name.startsWith(p));
  const ownedBy = (disks: readonly string[]) =>
    input.volumes
      .filter(
        (v) =>
          (disks.includes(v.path) || disks.includes(v.name)) &&
          !isKnownVolume(v) &&
          !BASE_IMAGE.test(v.name) &&
          v.name.startsWith(SKJOLD_PREFIX),
      )
      .map((v) => ({ pool: v.pool, name: v.name }));
  const unknownDomains = input.domains
    .filter((d) => !knownDomains.has(d.name) && !d.name.startsWith(TRANSIENT_PREFIX))
    .map((d) => {
      const disks = [...(input.domainDisks[d.name] ?? [])];
      return { name: d.name, state: d.state, disks, volumes: ownedBy(disks), cleanable: d.name.startsWith(SKJOLD_PREFIX) };
    });
  const usedPaths = new Set(Object.values(input.domainDisks).flat());

  const orphanVolumes: Drift["orphanVolumes"] = [];
  const unregisteredImages: Drift["unregisteredImages"] = [];
  for (const v of input.volumes) {
    if (isKnownVolume(v) || usedPaths.has(v.path) || usedPaths.has(v.name)) continue;
    if (BASE_IMAGE.test(v.name)) unregisteredImages.push(v);
    else orphanVolumes.push({ ...v, cleanable: v.name.startsWith(SKJOLD_PREFIX) });
  }

  const present = new Set(input.volumes.map((v) => v.name));
  const presentKeys = new Set(input.volumes.map((v) => volumeKey(v.pool, v.name)));
  const missingVolumes: Drift["missingVolumes"] = [
    ...input.imageVolumes
      .filter((i) => !presentKeys.has(volumeKey(i.pool, i.volume)))
      .map((i) => ({ pool: i.pool, name: i.volume, owner: "image copy" })),
    ...liveVms
      .filter((v) => HOLDS_VOLUMES.has(v.state))
      .flatMap((v) =>
        [v.diskVolume, v.seedVolume]
          .filter((n): n is string => Boolean(n) && !present.has(n!))
          .map((n) => ({ pool: "", name: n, owner: `VM ${v.name}` })),
      ),
  ];

  const missingDomains = liveVms
    .filter((v) => NEEDS_DOMAIN.has(v.state) && !libvirtDomains.has(v.domainName))
    .map((v) => ({ vmId: v.id, vmName: v.name, domainName: v.domainName, state: v.state }));

  return { unknownDomains, missingDomains, orphanVolumes, missingVolumes, unregisteredImages };
}

export function driftCount(d: Drift): number {
  return d.unknownDomains.length + d.missingDomains.length + d.orphanVolumes.length + d.missingVolumes.length;
}

/** Pure: `virsh -q domblklist --details` lines → disk sources (a path for file/block, the volume name for a pool volume). */
export function parseDomainDisks(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols.length === 4 && cols[1] === "disk" && cols[3] !== "-")
    .filter(([type, , , source]) => (type === "volume" ? /^[A-Za-z0-9][A-Za-z0-9_.-]*$/ : /^\//).test(source!))
    .map((cols) => cols[3]!);
}
