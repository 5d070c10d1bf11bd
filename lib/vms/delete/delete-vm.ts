import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError } from "../../core/errors";
import { cancelJob } from "../../jobs/cancel";
import { enqueueJob } from "../../jobs/enqueue";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { deleteVmJob } from "./delete-vm-job";

/**
 * Deletes a VM: a provisioning job still running is cancelled (it rolls back), then the "vm.delete"
 * job removes domain, disk and seed from the host and closes the residency entries. The row stays
 * as history (DELETED). Deleting twice returns the same job.
 */
export async function deleteVm(opts: VmRequest): Promise<{ jobId: string }> {
  const { team, vm } = await findTeamVm(opts);
  if (vm.state === "DELETED")
    throw new AppError("CONFLICT", `${vm.name} is already deleted.`, { key: "error.vm.alreadyDeleted", params: { name: vm.name } });
  const running = await opts.prisma.job.findMany({
    where: { vmId: vm.id, kind: { in: ["vm.provision", "vm.personalise", "vm.warm"] }, state: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true },
  });
  for (const job of running)
    await cancelJob({ prisma: opts.prisma, jobId: job.id, reason: "Cancelled: the VM is being deleted" }).catch(() => undefined);
  const { jobId, created } = await enqueueJob({
    prisma: opts.prisma,
    kind: deleteVmJob,
    payload: { vmId: vm.id },
    dedupeKey: `vm.delete:${vm.id}`,
    teamId: team.id,
    vmId: vm.id,
    hostId: vm.hostId ?? undefined,
  });
  if (created) {
    await recordAudit({
      prisma: opts.prisma,
      ...actorOf(opts.principal),
      action: "vm.delete",
      teamId: team.id,
      targetType: "vm",
      targetId: vm.id,
      details: { name: vm.name, jobId },
      meta: opts.meta,
    });
  }
  return { jobId };
}
