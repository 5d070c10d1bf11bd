import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import { assertVmIdle } from "../shared/assert-vm-idle";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { powerVmJob } from "./power-vm-job";
import { VmPowerActionSchema, type VmPowerAction } from "./schemas";

/** Start, shutdown, reboot or force off: checked here, carried out by a "vm.power" job. */
export async function vmPowerAction(opts: VmRequest & { action: VmPowerAction }): Promise<{ jobId: string }> {
  const action = VmPowerActionSchema.safeParse(opts.action);
  if (!action.success) throw fromZod(action.error, "VM action");
  const { team, vm } = await findTeamVm(opts);
  if (vm.state !== "RUNNING" && vm.state !== "STOPPED") {
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; power actions work on a running or stopped VM.`, {
      key: "error.vm.powerWrongState",
      params: { name: vm.name, vmState: vm.state },
    });
  }
  await assertVmIdle(opts.prisma, vm, powerVmJob.name);
  const { jobId } = await enqueueJob({
    prisma: opts.prisma,
    kind: powerVmJob,
    payload: { vmId: vm.id, action: action.data },
    teamId: team.id,
    vmId: vm.id,
    hostId: vm.hostId ?? undefined,
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: `vm.power.${action.data}`,
    teamId: team.id,
    targetType: "vm",
    targetId: vm.id,
    details: { name: vm.name, jobId },
    meta: opts.meta,
  });
  return { jobId };
}
