import type { HostContext } from "../libvirt/virsh";
import type { VmFirewallPolicy, VmFirewallTarget } from "./firewall-nft";
import { buildGuestFirewallScript, buildGuestNicRemoval, buildGuestNicSetup, type GuestNicSetup } from "./host-nic";

// The host side of a guest NIC over the host's pooled SSH connection: one exec each way.

/** Applies the host side of a guest NIC (tap, routes or bridge port, anti-spoofing filter) in one exec. */
export async function applyGuestNic(opts: HostContext & { nic: GuestNicSetup }): Promise<void> {
  await opts.pool.exec({ target: opts.target, argv: ["sh", "-s"], stdin: buildGuestNicSetup(opts.nic), step: `set up ${opts.nic.tap}` });
}

/** Removes the host side of a guest NIC (with its firewall: pass a bridged guest's addresses); safe to repeat. */
export async function removeGuestNic(
  opts: HostContext & { tap: string; mode: "routed" | "bridged"; ipv4?: string | null; ipv6?: string | null },
): Promise<void> {
  await opts.pool.exec({
    target: opts.target,
    argv: ["sh", "-s"],
    stdin: buildGuestNicRemoval({ tap: opts.tap, mode: opts.mode, ipv4: opts.ipv4, ipv6: opts.ipv6 }),
    step: `remove ${opts.tap}`,
  });
}

/** Installs, replaces or (no policy) removes a VM's firewall on its host in one exec, one nft batch. */
export async function applyGuestFirewall(opts: HostContext & { guest: VmFirewallTarget; policy: VmFirewallPolicy | null }): Promise<void> {
  await opts.pool.exec({
    target: opts.target,
    argv: ["sh", "-s"],
    stdin: buildGuestFirewallScript({ target: opts.guest, policy: opts.policy }),
    step: `firewall of ${opts.guest.tap}`,
  });
}
