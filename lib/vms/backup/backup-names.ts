// Names of a backup's things on hosts, all derived from its id (so a resumed step finds them): the
// libvirt checkpoint on the VM's domain, the scratch file in the VM's pool (it starts with the
// domain's name, so a sweep of the VM's volumes finds one left behind) and the file on the target.

const short = (id: string) => id.replaceAll("-", "").slice(0, 16);

export const backupCheckpointName = (backupId: string) => `skjold-bk-${short(backupId)}`;
export const backupScratchVolume = (domainName: string, backupId: string) => `${domainName}-bk-${short(backupId)}.qcow2`;
export const backupTargetVolume = (vmId: string, backupId: string) => `skjold-backup-${short(vmId)}-${short(backupId)}.qcow2`;
