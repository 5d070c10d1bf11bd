import { hardenGuest } from "../../guest/harden-guest";
import type { StepDefinition } from "../../jobs/define";
import { hardeningInputOf } from "../shared/hardening-input";
import { loadVm, requirePlaced } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { vmGuestShell } from "../shared/vm-guest-shell";
import type { ProvisionVmPayload } from "./payload";

// After SSH answers: converge the hardening (cloud-init already wrote the same files); the next
// steps prove it with evidence read from the guest and hand the VM to its team.

export const hardenStep: StepDefinition<ProvisionVmPayload> = {
  key: "harden",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const input = hardeningInputOf(vm);
    const shell = vmGuestShell({ vm, step: "harden the guest" });
    const r = await hardenGuest({ shell, privilege: "sudo", ...input });
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "hardened",
      message: r.changed
        ? `Hardening converged: ${r.changes.length} change(s) (${r.changes.slice(0, 5).join(", ")})`
        : "Hardening: the guest already matched (set up by cloud-init)",
      key: r.changed ? "event.hardenedChanged" : "event.hardenedUnchanged",
      params: r.changed ? { count: r.changes.length, changes: r.changes.slice(0, 5).join(", ") } : {},
    });
    return { changed: r.changed, changes: r.changes.length };
  },
};
