import { undefineDomain } from "../../libvirt/domains";
import { deleteVolume } from "../../libvirt/volumes";
import type { HostContext } from "../../libvirt/virsh";
import { diskVolumeName, seedVolumeName } from "../shared/volume-names";

/**
 * Removes everything a VM may have on its host, found by name (so a half-made step is covered too):
 * the domain (forced off, undefined) and its disk and seed volumes. Safe to repeat.
 */
export async function removeVmFromHost(opts: { ctx: HostContext; domainName: string; storagePool: string }): Promise<void> {
  const { ctx, domainName } = opts;
  await undefineDomain({ ...ctx, name: domainName, removeStorage: false });
  for (const volume of [diskVolumeName(domainName), seedVolumeName(domainName)]) {
    await deleteVolume({ ...ctx, storagePool: opts.storagePool, volume });
  }
}
