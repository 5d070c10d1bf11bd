import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { loadVm } from "../shared/load-vm";
import { releaseAddressesOfVm } from "../shared/assign-vm-addresses";
import { addVmEvent } from "../shared/vm-events";
import { describeLeftovers, leftoversOf, type VmLeftovers } from "./leftovers";
import type { ProvisionVmPayload } from "./payload";

// First and last word of a provisioning job on the VM row: PENDING → PROVISIONING, and on rollback
// FAILED with the reason the user reads (quota and capacity were reserved when the order was placed),
// including what the rollback could not undo.

export const reserveStep: StepDefinition<ProvisionVmPayload> = {
  key: "reserve",
  async run({ prisma, payload }) {
    const vm = await loadVm(prisma, payload.vmId);
    if (vm.state !== "PENDING" && vm.state !== "PROVISIONING") {
      throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}; it cannot be provisioned`, {
        key: "error.vm.cannotProvision",
        params: { name: vm.name, vmState: vm.state },
      });
    }
    if (vm.state === "PENDING") {
      await prisma.virtualMachine.update({ where: { id: vm.id }, data: { state: "PROVISIONING", lastError: null } });
      await addVmEvent({ prisma, vmId: vm.id, kind: "provisioning", message: "Provisioning started", key: "event.provisioning" });
    }
    return { name: vm.name };
  },
  async compensate({ prisma, payload, job }) {
    const row = await prisma.job.findUnique({ where: { id: job.id }, select: { lastError: true, state: true } });
    // This step is undone last: every later step's compensation has run. One that could not finish
    // (its host unreachable) left its step SUCCEEDED with the error, and the VM must not claim a clean
    // rollback: it says what may remain on the host, and finish-rollbacks.ts removes that once the
    // host answers again.
    const steps = await prisma.jobStep.findMany({
      where: { jobId: job.id },
      orderBy: { seq: "desc" },
      select: { key: true, state: true, attempts: true, error: true },
    });
    // A job that gave up without its own error (a lease lost past its attempts, say) is explained by the
    // last step that failed, never by the words "Provisioning failed" twice.
    const stepError = steps.find((s) => s.state === "FAILED" && s.error && !s.error.startsWith(ROLLBACK_FAILED));
    const cause =
      row?.state === "CANCELLED"
        ? "Cancelled"
        : (row?.lastError ??
          (stepError ? `${stepError.key}: ${stepError.error}` : "its workers stopped before any step reported an error"));
    const unfinished = steps
      .filter((s) => s.state === "SUCCEEDED" && s.error?.startsWith(ROLLBACK_FAILED))
      .map((s) => `${s.key}: ${s.error!.slice(ROLLBACK_FAILED.length)}`)
      .join("; ");
    const vm = await loadVm(prisma, payload.vmId);
    const items =
      unfinished && vm.host && vm.pool
        ? leftoversOf({ steps, domainName: vm.domainName, pool: vm.pool.name, networkMode: vm.host.networkMode })
        : [];
    const left: VmLeftovers | null = items.length && vm.host && vm.pool ? { host: vm.host.name, pool: vm.pool.name, items } : null;
    const reason = left ? `${cause}; rollback incomplete: ${unfinished}` : cause;
    // The addresses it was given go back at once: a VM that never became ready leaves nothing to rest.
    const n = await prisma.$transaction(async (tx) => {
      const failed = await tx.virtualMachine.updateMany({
        where: { id: payload.vmId, state: { in: ["PENDING", "PROVISIONING"] } },
        data: { state: "FAILED", lastError: reason.slice(0, 2_000), ...(left ? { leftovers: left, leftoversRemovedAt: null } : {}) },
      });
      if (failed.count > 0) await releaseAddressesOfVm({ tx, vmId: payload.vmId, quarantine: false });
      return failed;
    });
    if (n.count === 0) return;
    if (!left) {
      await addVmEvent({
        prisma,
        vmId: payload.vmId,
        kind: "failed",
        message: `Provisioning failed and was rolled back: ${cause}`,
        key: "event.failed",
        params: { cause },
      });
      return;
    }
    await addVmEvent({
      prisma,
      vmId: payload.vmId,
      kind: "rollback-incomplete",
      // What remains and who removes it first: a long message is cut at 1,000 characters.
      message:
        `Provisioning failed: ${cause}. Rollback incomplete: ${describeLeftovers(left.items)} may remain on ${left.host}; ` +
        `Skjold removes them once ${left.host} answers again. Could not undo: ${unfinished}`,
      data: { cause: cause.slice(0, 500), ...left },
    });
  },
};

const ROLLBACK_FAILED = "rollback failed: ";
