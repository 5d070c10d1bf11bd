import type { NetworkMode } from "../../generated/prisma/enums";
import { undefineDomain } from "../../libvirt/domains";
import { deleteVolume } from "../../libvirt/volumes";
import type { HostContext } from "../../libvirt/virsh";
import { removeGuestNic } from "../../network/guest-nic";
import { isPublicMode, tapOf } from "../shared/vm-nic";
import { removePrivateTaps } from "../shared/private-nics";
import { diskVolumeName, seedVolumeName } from "../shared/volume-names";

/**
 * Removes everything a VM may have on its host, found by name (so a half-made step is covered too):
 * the domain (forced off, undefined), its disk and seed volumes, and on a routed or bridged host its
 * tap (with its routes or bridge port), anti-spoofing filter and firewall (a bridged guest's firewall
 * is keyed by its addresses: pass them when known). Safe to repeat.
 */
export async function removeVmFromHost(opts: {
  ctx: HostContext;
  domainName: string;
  storagePool: string;
  networkMode: NetworkMode;
  addresses?: { ipv4: string | null; ipv6: string | null };
}): Promise<void> {
  const { ctx, domainName } = opts;
  await undefineDomain({ ...ctx, name: domainName, removeStorage: false });
  for (const volume of [diskVolumeName(domainName), seedVolumeName(domainName)]) {
    await deleteVolume({ ...ctx, storagePool: opts.storagePool, volume });
  }
  if (isPublicMode(opts.networkMode)) {
    await removePrivateTaps({ ctx, domainName });
    await removeGuestNic({
      ...ctx,
      tap: tapOf(domainName),
      mode: opts.networkMode === "ROUTED" ? "routed" : "bridged",
      ipv4: opts.addresses?.ipv4,
      ipv6: opts.addresses?.ipv6,
    });
  }
}
