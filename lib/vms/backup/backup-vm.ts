import { randomUUID } from "node:crypto";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import { assertTargetAllowed } from "../../backup-targets/target-policy";
import { enqueueJob } from "../../jobs/enqueue";
import { assertVmIdle } from "../shared/assert-vm-idle";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { backupCheckpointName, backupTargetVolume } from "./backup-names";
import { backupVmJob } from "./backup-vm-job";
import { BackupVmInput } from "./schemas";

/**
 * Takes a backup of a running VM to a backup target (job `vm.backup`). The target must lie inside
 * the team's residency policy: outside it the request is refused in words and nothing is recorded,
 * queued or copied. The first backup to a target is full; later ones hold the blocks written since
 * the last good one (the job falls back to a full one when that chain is broken).
 */
export async function backupVm(opts: VmRequest & { input: unknown }): Promise<{ backupId: string; jobId: string }> {
  const parsed = BackupVmInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Backup");
  const { team, vm: found } = await findTeamVm(opts);
  const target = await opts.prisma.backupTarget.findFirst({
    where: { name: parsed.data.target, active: true },
    include: { region: true },
  });
  if (!target)
    throw new AppError("VALIDATION", `There is no active backup target named ${parsed.data.target}.`, {
      key: "error.backup.noTarget",
      params: { target: parsed.data.target },
      details: { field: "target" },
    });
  assertTargetAllowed({ policy: team.residencyPolicy, target });

  return opts.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "VirtualMachine" WHERE id = ${found.id}::uuid FOR UPDATE`;
    const vm = await tx.virtualMachine.findUniqueOrThrow({ where: { id: found.id } });
    if (vm.state !== "RUNNING")
      throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}: a backup is taken of a running VM.`, {
        key: "error.backup.vmNotRunning",
        params: { name: vm.name, vmState: vm.state },
      });
    await assertVmIdle(tx, vm, backupVmJob.name);
    const parent = await tx.backup.findFirst({
      where: { vmId: vm.id, targetId: target.id, state: "GOOD" },
      orderBy: { createdAt: "desc" },
    });
    const id = randomUUID();
    const backup = await tx.backup.create({
      data: {
        id,
        vmId: vm.id,
        teamId: team.id,
        targetId: target.id,
        parentId: parent?.id ?? null,
        kind: parent ? "INCREMENTAL" : "FULL",
        checkpoint: backupCheckpointName(id),
        volume: backupTargetVolume(vm.id, id),
      },
    });
    const { jobId } = await enqueueJob({
      prisma: tx,
      kind: backupVmJob,
      payload: { backupId: backup.id },
      teamId: team.id,
      vmId: vm.id,
      hostId: vm.hostId ?? undefined,
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "vm.backup",
      teamId: team.id,
      targetType: "vm",
      targetId: vm.id,
      details: { name: vm.name, backupId: backup.id, target: target.name, region: target.region.code, kind: backup.kind, jobId },
      meta: opts.meta,
    });
    return { backupId: backup.id, jobId };
  });
}
