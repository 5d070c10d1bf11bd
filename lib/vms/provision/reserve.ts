import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { loadVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";

// First and last word of a provisioning job on the VM row: PENDING → PROVISIONING, and on rollback
// FAILED with the reason the user reads (quota and capacity were reserved when the order was placed).

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
    const reason = row?.state === "CANCELLED" ? "Cancelled" : (row?.lastError ?? "Provisioning failed");
    const n = await prisma.virtualMachine.updateMany({
      where: { id: payload.vmId, state: { in: ["PENDING", "PROVISIONING"] } },
      data: { state: "FAILED", lastError: reason.slice(0, 2_000) },
    });
    if (n.count > 0)
      await addVmEvent({ prisma, vmId: payload.vmId, kind: "failed", message: `Provisioning failed and was rolled back: ${reason}` });
  },
};
