import { randomBytes } from "node:crypto";
import { AppError } from "../../core/errors";
import type { Host, Prisma, VirtualMachine } from "../../generated/prisma/client";
import type { GuestNicSetup } from "../../network/host-nic";

// A VM's public NIC as the host sees it: Skjold's own tap (named after the domain, so a sweep by name
// finds it), the guest's MAC, and the addresses the tap's filter pins it to.

/** `sk` + the domain's 12 hex digits: 14 characters, inside Linux's 15. */
export const tapOf = (domainName: string) => `sk${domainName.replace(/^skj-/, "")}`;

/** A lab VM (user-mode networking) from before MACs were stored keeps the MAC its id gave it. */
export const vmMac = (vm: Pick<VirtualMachine, "id" | "macAddress">) =>
  vm.macAddress ?? `52:54:00:${vm.id.slice(0, 2)}:${vm.id.slice(2, 4)}:${vm.id.slice(4, 6)}`;

/** A MAC no VM has (guests of one segment must differ): qemu's 52:54:00 prefix and three random bytes. */
export async function newGuestMac(tx: Prisma.TransactionClient): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const mac = `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, "0")).join(":")}`;
    if (!(await tx.virtualMachine.findUnique({ where: { macAddress: mac }, select: { id: true } }))) return mac;
  }
  throw new AppError("CONFLICT", "could not find a free MAC address; try again");
}

export const isPublicMode = (mode: Host["networkMode"]) => mode === "ROUTED" || mode === "BRIDGED";

/** The host side of the VM's NIC, for lib/network's setup and filter. */
export function guestNicOf(
  vm: Pick<VirtualMachine, "id" | "name" | "domainName" | "macAddress" | "ipAddress" | "ipv6Address" | "ipv6Prefix">,
  host: Pick<Host, "name" | "networkMode" | "bridge">,
): GuestNicSetup {
  if (!isPublicMode(host.networkMode)) throw new AppError("CONFLICT", `${host.name} gives guests no addresses of their own`);
  if (!vm.ipAddress) throw new AppError("CONFLICT", `VM ${vm.name} has no public IPv4 address recorded`);
  const routed = host.networkMode === "ROUTED";
  return {
    tap: tapOf(vm.domainName),
    mode: routed ? "routed" : "bridged",
    mac: vmMac(vm),
    ipv4: vm.ipAddress,
    ipv6: routed ? vm.ipv6Prefix : vm.ipv6Address,
    ipv6RoutedPrefix: routed ? vm.ipv6Prefix : null,
    bridge: routed ? null : host.bridge,
  };
}
