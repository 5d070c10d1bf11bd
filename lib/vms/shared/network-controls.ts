import type { ControlResult } from "../../guest/report";
import type { Host, PrismaClient, VirtualMachine } from "../../generated/prisma/client";
import type { HostContext } from "../../libvirt/virsh";
import { evaluateNetworkControls } from "../../network/verify/network-controls";
import { readHostNicEvidence } from "../../network/verify/read-host-nic";
import { guestNicOf, isPublicMode } from "./vm-nic";
import { canonicalIp } from "../../network/ip";

/** The VM's private addresses (IPv4 and ULA IPv6), as its network controls read them. */
export async function privateAddressesOf(prisma: Pick<PrismaClient, "privateNic">, vmId: string): Promise<string[]> {
  const nics = await prisma.privateNic.findMany({ where: { vmId }, select: { ipv4: true, ipv6: true } });
  return nics.flatMap((n) => [n.ipv4, n.ipv6].filter((a): a is string => Boolean(a)));
}

/** The VM's network controls (host side read from the host, guest side from the guest's evidence); none for a lab VM. */
export async function vmNetworkControls(opts: {
  ctx: HostContext;
  vm: Pick<VirtualMachine, "id" | "name" | "domainName" | "macAddress" | "ipAddress" | "ipv6Address" | "ipv6Prefix">;
  host: Pick<Host, "name" | "networkMode" | "bridge">;
  guestAddresses: string[];
  /** the VM's addresses on its private networks: carried on its private NICs, not strangers on the public one */
  privateAddresses?: readonly string[];
}): Promise<ControlResult[]> {
  if (!isPublicMode(opts.host.networkMode) || !opts.vm.ipAddress) return [];
  const nic = guestNicOf(opts.vm, opts.host);
  const host = await readHostNicEvidence({ ...opts.ctx, nic });
  const privates = new Set((opts.privateAddresses ?? []).map((a) => canonicalIp(a) ?? a));
  const guestAddresses = opts.guestAddresses.filter((a) => !privates.has(canonicalIp(a.split("/")[0]!) ?? a));
  return evaluateNetworkControls({ nic, host, guestAddresses });
}
