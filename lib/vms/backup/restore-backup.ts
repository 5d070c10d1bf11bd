import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import { assertVmIdle } from "../shared/assert-vm-idle";
import type { VmRequest } from "../shared/find-team-vm";
import { findVmBackup } from "./find-backup";
import { restoreVmJob } from "./restore-vm-job";

/**
 * Restores a good backup into its own VM (job `vm.restore`): every file of its chain is checked
 * against the sha256 recorded when it was taken before the VM is touched; a file that differs is
 * refused in words and the VM keeps running as it was. Then the VM is stopped, the chain written
 * back as its disk, and the VM started again if it was running.
 */
export async function restoreBackup(opts: VmRequest & { backupId: string }): Promise<{ jobId: string }> {
  const { team, vm: found, backup } = await findVmBackup(opts);
  if (backup.state !== "GOOD")
    throw new AppError(
      "CONFLICT",
      `Backup ${backup.id.slice(0, 8)} is ${backup.state.toLowerCase()}: only a complete, checksummed backup can be restored.`,
      { key: "error.backup.notGood", params: { backup: backup.id.slice(0, 8), state: backup.state.toLowerCase() } },
    );
  // An incremental file holds the blocks written since its parent, but a block zeroed since then is
  // left unwritten in it (QEMU skips zero writes to a qcow2 without a backing file), so a chain put
  // back together could bring old data back there (docs/backups.md, "What is left").
  if (backup.kind === "INCREMENTAL") {
    const id = backup.id.slice(0, 8);
    throw new AppError(
      "CONFLICT",
      `Backup ${id} is incremental: restoring a chain is not yet safe (a block zeroed since the backup before it could come back with its old content), so for now only a full backup can be restored.`,
      { key: "error.backup.incrementalRestore", params: { backup: id } },
    );
  }
  return opts.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "VirtualMachine" WHERE id = ${found.id}::uuid FOR UPDATE`;
    const vm = await tx.virtualMachine.findUniqueOrThrow({ where: { id: found.id } });
    if (vm.state !== "RUNNING" && vm.state !== "STOPPED")
      throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; a running or stopped VM can be restored.`, {
        key: "error.backup.vmWrongState",
        params: { name: vm.name, vmState: vm.state },
      });
    await assertVmIdle(tx, vm, restoreVmJob.name);
    const { jobId } = await enqueueJob({
      prisma: tx,
      kind: restoreVmJob,
      payload: { backupId: backup.id, vmId: vm.id },
      teamId: team.id,
      vmId: vm.id,
      hostId: vm.hostId ?? undefined,
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "vm.restore",
      teamId: team.id,
      targetType: "vm",
      targetId: vm.id,
      details: { name: vm.name, backupId: backup.id, target: backup.target.name, jobId },
      meta: opts.meta,
    });
    return { jobId };
  });
}
