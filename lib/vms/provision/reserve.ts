import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { loadVm } from "../shared/load-vm";
import { releaseAddressesOfVm } from "../shared/assign-vm-addresses";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";

// First and last word of a provisioning job on the VM row: PENDING → PROVISIONING, and on rollback
// FAILED with the reason the user reads (quota and capacity were reserved when the order was placed),
// including what the rollback could not undo.

export const reserveStep: StepDefinition<ProvisionVmPayload> = {
  key: "reserve",
  async run({ prisma, payload }) {
    const vm = await loadVm(prisma, payload.vmId);
    if (vm.state !== "PENDING" && vm.state !== "PROVISIONING") {
      throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}; it cannot be provisioned`);
    }
    if (vm.state === "PENDING") {
      await prisma.virtualMachine.update({ where: { id: vm.id }, data: { state: "PROVISIONING", lastError: null } });
      await addVmEvent({ prisma, vmId: vm.id, kind: "provisioning", message: "Provisioning started" });
    }
    return { name: vm.name };
  },
  async compensate({ prisma, payload, job }) {
    const row = await prisma.job.findUnique({ where: { id: job.id }, select: { lastError: true, state: true } });
    const cause = row?.state === "CANCELLED" ? "Cancelled" : (row?.lastError ?? "Provisioning failed");
    // This step is undone last: every later step's compensation has run. One that could not finish
    // (its host unreachable) left its step SUCCEEDED with the error, and the VM must not claim a clean rollback.
    const unfinished = await prisma.jobStep.findMany({
      where: { jobId: job.id, state: "SUCCEEDED", error: { startsWith: "rollback failed: " } },
      orderBy: { seq: "desc" },
      select: { key: true, error: true },
    });
    const incomplete = unfinished.map((s) => `${s.key}: ${s.error!.slice("rollback failed: ".length)}`).join("; ");
    const reason = incomplete ? `${cause}; rollback incomplete: ${incomplete}` : cause;
    // The addresses it was given go back at once: a VM that never became ready leaves nothing to rest.
    const n = await prisma.$transaction(async (tx) => {
      const failed = await tx.virtualMachine.updateMany({
        where: { id: payload.vmId, state: { in: ["PENDING", "PROVISIONING"] } },
        data: { state: "FAILED", lastError: reason.slice(0, 2_000) },
      });
      if (failed.count > 0) await releaseAddressesOfVm({ tx, vmId: payload.vmId, quarantine: false });
      return failed;
    });
    if (n.count === 0) return;
    const message = incomplete
      ? `Provisioning failed: ${cause}. Rollback incomplete: ${incomplete}. What could not be removed stays on the host until it is cleaned up there (host reconciliation lists it)`
      : `Provisioning failed and was rolled back: ${cause}`;
    await addVmEvent({ prisma, vmId: payload.vmId, kind: incomplete ? "rollback-incomplete" : "failed", message });
  },
};
