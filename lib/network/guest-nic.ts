import type { HostContext } from "../libvirt/virsh";
import { buildGuestNicRemoval, buildGuestNicSetup, type GuestNicSetup } from "./host-nic";

// The host side of a guest NIC over the host's pooled SSH connection: one exec each way.

/** Applies the host side of a guest NIC (tap, routes or bridge port, anti-spoofing filter) in one exec. */
export async function applyGuestNic(opts: HostContext & { nic: GuestNicSetup }): Promise<void> {
  await opts.pool.exec({ target: opts.target, argv: ["sh", "-s"], stdin: buildGuestNicSetup(opts.nic), step: `set up ${opts.nic.tap}` });
}

/** Removes the host side of a guest NIC; safe to repeat. */
export async function removeGuestNic(opts: HostContext & { tap: string; mode: "routed" | "bridged" }): Promise<void> {
  await opts.pool.exec({
    target: opts.target,
    argv: ["sh", "-s"],
    stdin: buildGuestNicRemoval({ tap: opts.tap, mode: opts.mode }),
    step: `remove ${opts.tap}`,
  });
}
