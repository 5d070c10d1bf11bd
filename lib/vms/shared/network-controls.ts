import type { ControlResult } from "../../guest/report";
import type { Host, VirtualMachine } from "../../generated/prisma/client";
import type { HostContext } from "../../libvirt/virsh";
import { evaluateNetworkControls } from "../../network/verify/network-controls";
import { readHostNicEvidence } from "../../network/verify/read-host-nic";
import { guestNicOf, isPublicMode } from "./vm-nic";

/** The VM's network controls (host side read from the host, guest side from the guest's evidence); none for a lab VM. */
export async function vmNetworkControls(opts: {
  ctx: HostContext;
  vm: Pick<VirtualMachine, "id" | "name" | "domainName" | "macAddress" | "ipAddress" | "ipv6Address" | "ipv6Prefix">;
  host: Pick<Host, "name" | "networkMode" | "bridge">;
  guestAddresses: string[];
}): Promise<ControlResult[]> {
  if (!isPublicMode(opts.host.networkMode) || !opts.vm.ipAddress) return [];
  const nic = guestNicOf(opts.vm, opts.host);
  const host = await readHostNicEvidence({ ...opts.ctx, nic });
  return evaluateNetworkControls({ nic, host, guestAddresses: opts.guestAddresses });
}
