import { sharedSshPool } from "../../hosts/host-target";
import { createGuestShell, type SshGuestShell } from "../../ssh/guest-shell";
import type { SshPool } from "../../ssh/pool";
import { guestTarget } from "./guest-target";
import type { PlacedVm } from "./load-vm";

/** How long one command on a VM's guest may run while it is provisioned or re-hardened. */
const GUEST_EXEC_TIMEOUT_MS = 300_000;

/** lib/guest's shell on a placed VM (over the shared pool unless given one), as its admin user (sudo for root). */
export function vmGuestShell(opts: { vm: PlacedVm; step: string; pool?: SshPool }): SshGuestShell {
  return createGuestShell({
    pool: opts.pool ?? sharedSshPool(),
    target: guestTarget(opts.vm),
    step: opts.step,
    privilege: "sudo",
    timeoutMs: GUEST_EXEC_TIMEOUT_MS,
  });
}
