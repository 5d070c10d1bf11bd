import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import { assertVmIdle } from "../shared/assert-vm-idle";
import type { VmRequest } from "../shared/find-team-vm";
import { deleteBackupJob } from "./delete-backup-job";
import { findVmBackup } from "./find-backup";

/** Deletes a backup's file from its target and closes its ledger entry (job `vm.backup-delete`). */
export async function deleteBackup(opts: VmRequest & { backupId: string }): Promise<{ jobId: string }> {
  const { team, vm, backup } = await findVmBackup(opts);
  const id = backup.id.slice(0, 8);
  if (backup.state !== "GOOD" && backup.state !== "FAILED")
    throw new AppError("CONFLICT", `Backup ${id} is ${backup.state.toLowerCase()}; try again when it has finished.`, {
      key: "error.backup.busy",
      params: { backup: id, state: backup.state.toLowerCase() },
    });
  const children = await opts.prisma.backup.count({ where: { parentId: backup.id, state: { notIn: ["DELETED", "FAILED"] } } });
  if (children > 0)
    throw new AppError("CONFLICT", `Backup ${id} is the base of ${children} later backup(s): delete those first.`, {
      key: "error.backup.hasChildren",
      params: { backup: id, count: children },
    });
  return opts.prisma.$transaction(async (tx) => {
    await assertVmIdle(tx, vm, deleteBackupJob.name);
    await tx.backup.update({ where: { id: backup.id }, data: { state: "DELETING" } });
    const { jobId } = await enqueueJob({
      prisma: tx,
      kind: deleteBackupJob,
      payload: { backupId: backup.id },
      teamId: team.id,
      vmId: vm.id,
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "vm.backup.delete",
      teamId: team.id,
      targetType: "vm",
      targetId: vm.id,
      details: { name: vm.name, backupId: backup.id, target: backup.target.name, jobId },
      meta: opts.meta,
    });
    return { jobId };
  });
}
