import { backupTargetContext, loadBackupTarget } from "../../backup-targets/target-context";
import type { PrismaClient } from "../../generated/prisma/client";
import { defineJob } from "../../jobs/define";
import { getDomainState, shutdownDomain, startDomain } from "../../libvirt/domains";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { diskVolumeName } from "../shared/volume-names";
import { checksumRefusal, loadBackupChain } from "./backup-chain";
import { assembleChain, copyVolumeToFile, makeRestoreDir, removeRestoreDir, volumeDigest, writeDisk } from "./host-backup";
import { RestoreJobPayload } from "./schemas";

// vm.restore: workdir (a private directory on the VM's host) → verify (each file's sha256 as the
// target reads it, against the one recorded at backup time: any difference refuses the restore
// before the VM is touched) → fetch (target → portal → VM host, hashed again on the way) → assemble
// (the chain made one qcow2 over the VM's base image) → stop → write (the disk replaced, its
// checkpoints forgotten: the next backup is full) → start (when it was running) → cleanup.

const GIB = 2 ** 30;
const short = (id: string) => id.slice(0, 8);

async function load(prisma: PrismaClient, payload: { backupId: string; vmId: string }) {
  const vm = requirePlaced(await loadVm(prisma, payload.vmId));
  const chain = await loadBackupChain(prisma, payload.backupId);
  const target = await loadBackupTarget(prisma, chain.at(-1)!.targetId);
  return { vm, chain, target };
}

export const restoreVmJob = defineJob({
  name: "vm.restore",
  payload: RestoreJobPayload,
  retry: { maxAttempts: 3, baseDelayMs: 2_000, maxDelayMs: 20_000 },
  steps: [
    {
      key: "workdir",
      async run({ prisma, payload }) {
        const { vm } = await load(prisma, payload);
        return { dir: await makeRestoreDir(vmHostContext(vm, prisma)) };
      },
      async compensate({ prisma, payload, output, job }) {
        const { vm } = await load(prisma, payload);
        await removeRestoreDir({ ...vmHostContext(vm, prisma), dir: (output as { dir: string }).dir });
        const row = await prisma.job.findUnique({ where: { id: job.id }, select: { lastError: true, state: true } });
        const cause = row?.state === "CANCELLED" ? "cancelled" : (row?.lastError ?? "the job stopped");
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "restore-failed",
          message: `Restore from backup ${short(payload.backupId)} failed and was undone: ${cause}`,
          key: "event.restoreFailed",
          params: { backup: short(payload.backupId), cause },
        });
      },
    },
    {
      key: "verify",
      async run({ prisma, payload }) {
        const { vm, chain, target } = await load(prisma, payload);
        const tctx = backupTargetContext(target, prisma);
        const found = new Map<string, string | null>();
        for (const b of chain) {
          if (b.state !== "GOOD") {
            found.set(b.id, null);
            continue;
          }
          found.set(b.id, (await volumeDigest({ ...tctx, storagePool: target.pool.name, volume: b.volume }))?.sha256 ?? null);
        }
        const refusal = checksumRefusal({ vmName: vm.name, targetName: target.name, chain, found });
        if (refusal) throw refusal;
        return { files: chain.length };
      },
    },
    {
      key: "fetch",
      async run({ prisma, payload, outputs, signal }) {
        const { vm, chain, target } = await load(prisma, payload);
        const { dir } = outputs.workdir as { dir: string };
        const tctx = backupTargetContext(target, prisma);
        const found = new Map<string, string | null>();
        let bytes = 0;
        for (const [i, b] of chain.entries()) {
          const got = await copyVolumeToFile({
            from: { ...tctx, storagePool: target.pool.name, volume: b.volume },
            to: { ...vmHostContext(vm, prisma), path: `${dir}/f${i}.qcow2` },
            signal,
          });
          found.set(b.id, got.sha256);
          bytes += got.bytes;
        }
        // What arrived is what was recorded, too (the file could change between verify and fetch).
        const refusal = checksumRefusal({ vmName: vm.name, targetName: target.name, chain, found });
        if (refusal) throw refusal;
        return { bytes };
      },
    },
    {
      key: "assemble",
      async run({ prisma, payload, outputs }) {
        const { vm, chain } = await load(prisma, payload);
        const { dir } = outputs.workdir as { dir: string };
        const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: vm.imageId, hostId: vm.host.id } } });
        const basePath = copy ? `${vm.pool.path.replace(/\/+$/, "")}/${copy.volume}` : null;
        await assembleChain({ ...vmHostContext(vm, prisma), dir, files: chain.length, basePath, sizeBytes: vm.diskGb * GIB });
        return { image: `${dir}/disk.qcow2` };
      },
    },
    {
      key: "stop",
      async run({ prisma, payload }) {
        const { vm } = await load(prisma, payload);
        const ctx = { ...vmHostContext(vm, prisma), name: vm.domainName };
        const state = await getDomainState(ctx);
        const wasRunning = state !== null && state !== "shut off";
        if (wasRunning) await shutdownDomain({ ...ctx, timeoutMs: 60_000 });
        await prisma.virtualMachine.updateMany({ where: { id: vm.id, state: "RUNNING" }, data: { state: "STOPPED" } });
        return { wasRunning };
      },
      async compensate({ prisma, payload, output }) {
        if (!(output as { wasRunning: boolean }).wasRunning) return;
        const { vm } = await load(prisma, payload);
        await startDomain({ ...vmHostContext(vm, prisma), name: vm.domainName });
        await prisma.virtualMachine.updateMany({ where: { id: vm.id, state: "STOPPED" }, data: { state: "RUNNING" } });
      },
    },
    {
      key: "write",
      async run({ prisma, payload, outputs }) {
        const { vm } = await load(prisma, payload);
        const { image } = outputs.assemble as { image: string };
        await writeDisk({
          ...vmHostContext(vm, prisma),
          storagePool: vm.pool.name,
          volume: diskVolumeName(vm.domainName),
          file: image,
          domain: vm.domainName,
        });
        return { written: true };
      },
    },
    {
      key: "start",
      async run({ prisma, payload, outputs }) {
        const { vm, chain } = await load(prisma, payload);
        const { wasRunning } = outputs.stop as { wasRunning: boolean };
        if (wasRunning) {
          const ctx = { ...vmHostContext(vm, prisma), name: vm.domainName };
          if ((await getDomainState(ctx)) !== "running") await startDomain(ctx);
          await prisma.virtualMachine.updateMany({ where: { id: vm.id, state: "STOPPED" }, data: { state: "RUNNING" } });
        }
        const { dir } = outputs.workdir as { dir: string };
        await removeRestoreDir({ ...vmHostContext(vm, prisma), dir });
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "restored",
          message: `Restored from backup ${short(payload.backupId)} (${chain.length} file(s), checksums verified)`,
          key: "event.restored",
          params: { backup: short(payload.backupId), files: chain.length },
        });
        return { started: wasRunning };
      },
    },
  ],
});
