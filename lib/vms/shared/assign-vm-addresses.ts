import type { Host, Prisma } from "../../generated/prisma/client";
import { allocateVmAddresses, type VmAddresses } from "../../network/allocate-vm-addresses";
import { releaseVmAddresses } from "../../network/release-vm-addresses";

// A VM's public addresses on its host, kept on the VM row (the page, the API and the guest's seed
// read them there). Inside the caller's transaction, under its region lock.

export async function assignVmAddresses(opts: {
  tx: Prisma.TransactionClient;
  vm: { id: string; name: string; teamId: string };
  teamSlug: string;
  host: Pick<Host, "id" | "name" | "networkMode" | "regionId">;
  regionCode: string;
}): Promise<VmAddresses> {
  const { tx, vm } = opts;
  const addresses = await allocateVmAddresses({
    tx,
    vm: { id: vm.id, name: vm.name, teamId: vm.teamId, teamSlug: opts.teamSlug },
    host: opts.host,
    regionCode: opts.regionCode,
  });
  await tx.virtualMachine.update({
    where: { id: vm.id },
    data: {
      ipAddress: addresses.ipv4,
      ipv6Address: addresses.ipv6Address,
      ipv6Prefix: addresses.ipv6Prefix,
      ...(addresses.ipv4 ? { sshHost: addresses.ipv4, sshPort: null } : {}),
    },
  });
  return addresses;
}

/** "; addresses 203.0.113.130 and 2001:db8:1100:1::/64" for an event, or nothing on a lab host. */
export function addressNote(a: VmAddresses): string {
  const all = [a.ipv4, a.ipv6Prefix ?? a.ipv6Address].filter((x): x is string => x !== null);
  return all.length ? `; address${all.length > 1 ? "es" : ""} ${all.join(" and ")}` : "";
}

/** Lets the VM's addresses go (resting in quarantine when the VM ran with them) and clears them from its row. */
export async function releaseAddressesOfVm(opts: { tx: Prisma.TransactionClient; vmId: string; quarantine: boolean }): Promise<number> {
  const released = await releaseVmAddresses({ tx: opts.tx, vmId: opts.vmId, quarantine: opts.quarantine });
  if (released.length > 0) {
    await opts.tx.virtualMachine.update({ where: { id: opts.vmId }, data: { ipAddress: null, ipv6Address: null, ipv6Prefix: null } });
  }
  return released.length;
}
