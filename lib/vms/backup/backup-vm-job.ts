import { AppError } from "../../core/errors";
import { errorMessage } from "../../core/error-text";
import { backupTargetContext, loadBackupTarget } from "../../backup-targets/target-context";
import { assertTargetAllowed } from "../../backup-targets/target-policy";
import type { PrismaClient } from "../../generated/prisma/client";
import { defineJob } from "../../jobs/define";
import { runVirsh } from "../../libvirt/virsh";
import { assertDomainName, assertVolumeName } from "../../ssh/quote";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeBackupLocation, openBackupLocation } from "./backup-locations";
import { backupScratchVolume } from "./backup-names";
import { beginBackup, copyVolume, dropCheckpoints, removeVolume, volumeDigest } from "./host-backup";
import { BackupJobPayload } from "./schemas";

// vm.backup: reserve (the policy checked again) → begin (libvirt backup on the VM's host into a
// scratch file, with a checkpoint; full when the chain to the parent is broken, said in the VM's
// events) → copy (VM host → portal → target, sha256 on the way, read back on the target) → finish
// (scratch removed, the backup GOOD). Nothing is GOOD before the last step, so a crash at any point
// leaves a PENDING/RUNNING backup that its job resumes, or a FAILED one whose files are removed.

async function load(prisma: PrismaClient, backupId: string) {
  const backup = await prisma.backup.findUniqueOrThrow({ where: { id: backupId }, include: { parent: true } });
  const vm = requirePlaced(await loadVm(prisma, backup.vmId));
  const target = await loadBackupTarget(prisma, backup.targetId);
  return { backup, vm, target };
}

export const backupVmJob = defineJob({
  name: "vm.backup",
  payload: BackupJobPayload,
  retry: { maxAttempts: 3, baseDelayMs: 2_000, maxDelayMs: 20_000 },
  steps: [
    {
      key: "reserve",
      async run({ prisma, payload }) {
        const { backup, vm, target } = await load(prisma, payload.backupId);
        const team = await prisma.team.findUniqueOrThrow({ where: { id: backup.teamId } });
        assertTargetAllowed({ policy: team.residencyPolicy, target });
        await prisma.backup.update({ where: { id: backup.id }, data: { state: "RUNNING" } });
        return { vm: vm.name, target: target.name };
      },
      // Everything the backup left anywhere, whichever step it failed in: the scratch file, the
      // checkpoint (its bitmap merges into the one before, so the next incremental still holds
      // every change), the target's file and its ledger entry. The row stays, FAILED, as history.
      async compensate({ prisma, payload, job }) {
        const { backup, vm, target } = await load(prisma, payload.backupId);
        const ctx = vmHostContext(vm, prisma);
        await removeVolume({ ...ctx, storagePool: vm.pool.name, volume: backupScratchVolume(vm.domainName, backup.id) });
        await runVirsh({
          ...ctx,
          args: ["checkpoint-delete", "--", assertDomainName(vm.domainName), assertVolumeName(backup.checkpoint)],
          step: "remove the failed backup's checkpoint",
          allowFailure: true,
        });
        await removeVolume({ ...backupTargetContext(target, prisma), storagePool: target.pool.name, volume: backup.volume });
        await closeBackupLocation({ prisma, backupId: backup.id });
        const row = await prisma.job.findUnique({ where: { id: job.id }, select: { lastError: true, state: true } });
        const cause = row?.state === "CANCELLED" ? "cancelled" : (row?.lastError ?? "the job stopped");
        await prisma.backup.update({ where: { id: backup.id }, data: { state: "FAILED", lastError: cause.slice(0, 1000) } });
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "backup-failed",
          message: `Backup ${backup.id.slice(0, 8)} on ${target.name} failed and was removed: ${cause}`,
          key: "event.backupFailed",
          params: { backup: backup.id.slice(0, 8), target: target.name, cause },
        });
      },
    },
    {
      key: "begin",
      async run({ prisma, payload }) {
        const { backup, vm } = await load(prisma, payload.backupId);
        const ctx = vmHostContext(vm, prisma);
        const args = {
          ...ctx,
          domain: vm.domainName,
          storagePool: vm.pool.name,
          poolPath: vm.pool.path,
          scratch: backupScratchVolume(vm.domainName, backup.id),
          checkpoint: backup.checkpoint,
        };
        let kind = backup.kind;
        const toFull = async () => {
          await prisma.backup.update({ where: { id: backup.id }, data: { kind: "FULL", parentId: null } });
          kind = "FULL";
        };
        // A parent taken without a checkpoint (a qcow2 v2 disk) leaves nothing to build on.
        const from = backup.parent?.checkpoint || null;
        if (backup.parent && !from) await toFull();
        let r = await beginBackup({ ...args, from });
        if (!r.ok && "chainBroken" in r) {
          // No checkpoint or no usable bitmap: after a host crash, a forced power-off or a restore.
          // The chain starts again from a full backup, and the VM's timeline says why.
          await dropCheckpoints({ ...ctx, domain: vm.domainName });
          await toFull();
          await addVmEvent({
            prisma,
            vmId: vm.id,
            kind: "backup-chain-broken",
            message: `The backup chain is broken (${r.why}): this backup is a full one`,
            key: "event.backupChainBroken",
            params: { why: r.why },
          });
          r = await beginBackup({ ...args, from: null });
        }
        if (!r.ok && "noBitmaps" in r) {
          // A qcow2 v2 disk (made before Skjold created v3 disks) cannot hold a dirty bitmap: a full
          // backup without a checkpoint; a restore writes the disk back as v3.
          await toFull();
          await prisma.backup.update({ where: { id: backup.id }, data: { checkpoint: "" } });
          await addVmEvent({
            prisma,
            vmId: vm.id,
            kind: "backup-full-only",
            message:
              "The VM's disk is qcow2 v2, which cannot record changed blocks: this backup is a full one, and so is every later one until the disk is restored from a backup (which writes it as v3)",
            key: "event.backupFullOnly",
          });
          r = await beginBackup({ ...args, checkpoint: null, from: null });
        }
        if (!r.ok) throw new Error("libvirt's backup could not start after falling back to a full backup");
        await prisma.backup.update({ where: { id: backup.id }, data: { sizeBytes: BigInt(r.capacityBytes) } });
        return { kind, fileBytes: r.fileBytes, capacityBytes: r.capacityBytes };
      },
    },
    {
      key: "copy",
      async run({ prisma, payload, signal }) {
        const { backup, vm, target } = await load(prisma, payload.backupId);
        const tctx = backupTargetContext(target, prisma);
        const path = `${target.pool.path.replace(/\/+$/, "")}/${backup.volume}`;
        // In the ledger before the first byte lands on the target.
        await openBackupLocation({ prisma, backup, vmName: vm.name, target, path });
        const sent = await copyVolume({
          from: { ...vmHostContext(vm, prisma), storagePool: vm.pool.name, volume: backupScratchVolume(vm.domainName, backup.id) },
          to: { ...tctx, storagePool: target.pool.name, volume: backup.volume },
          signal,
        });
        const there = await volumeDigest({ ...tctx, storagePool: target.pool.name, volume: backup.volume });
        if (!there || there.sha256 !== sent.sha256) {
          const params = { backup: backup.id.slice(0, 8), target: target.name, found: there?.sha256 ?? "nothing", sent: sent.sha256 };
          throw new AppError("CONFLICT", errorMessage("error.backup.copyMismatch", params), {
            key: "error.backup.copyMismatch",
            params,
            transient: true,
          });
        }
        await prisma.backup.update({
          where: { id: backup.id },
          data: { sha256: sent.sha256, bytesMoved: BigInt(sent.bytes), path: there.path },
        });
        return { bytes: sent.bytes, sha256: sent.sha256 };
      },
    },
    {
      key: "finish",
      async run({ prisma, payload, outputs }) {
        const { backup, vm, target } = await load(prisma, payload.backupId);
        await removeVolume({
          ...vmHostContext(vm, prisma),
          storagePool: vm.pool.name,
          volume: backupScratchVolume(vm.domainName, backup.id),
        });
        const copied = outputs.copy as { bytes: number; sha256: string };
        if (backup.state !== "GOOD") {
          await prisma.backup.update({ where: { id: backup.id }, data: { state: "GOOD", completedAt: new Date(), lastError: null } });
          await addVmEvent({
            prisma,
            vmId: vm.id,
            kind: "backup",
            message: `Backup ${backup.id.slice(0, 8)} (${backup.kind.toLowerCase()}) on ${target.name}: ${copied.bytes} bytes moved, sha256 ${copied.sha256}`,
            key: "event.backupDone",
            params: {
              backup: backup.id.slice(0, 8),
              kind: backup.kind.toLowerCase(),
              target: target.name,
              bytes: copied.bytes,
              sha256: copied.sha256,
            },
          });
        }
        return { state: "GOOD" };
      },
    },
  ],
});
