import { AppError } from "../../core/errors";
import { runRootScript } from "../../guest/shell";
import { defineJob } from "../../jobs/define";
import { getDomainState } from "../../libvirt/domains";
import { runVirsh } from "../../libvirt/virsh";
import { assertPoolName, assertVolumeName } from "../../ssh/quote";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { vmGuestShell } from "../shared/vm-guest-shell";
import { diskVolumeName } from "../shared/volume-names";
import { GROW_FILESYSTEM_SCRIPT } from "./grow-filesystem-script";
import { ResizeVmPayload } from "./schemas";

// A change of plan on the VM's host: the disk grows (online with `virsh blockresize` when the domain
// runs, then the guest's filesystem; `vol-resize` when it is off, and cloud-init's resize_rootfs grows
// the filesystem at the next start), then vCPUs and memory are set in the persistent definition, so
// they apply at the next start (a reboot inside the guest keeps the running size). Every step checks
// before it changes, so a resumed job does not grow anything twice.

const GIB = 2 ** 30;

const isRunning = (state: string | null) => state === "running" || state === "idle" || state === "paused" || state === "in shutdown";

/** The disk volume's capacity in bytes, from `virsh vol-info --bytes`. */
async function diskCapacity(ctx: ReturnType<typeof vmHostContext>, pool: string, volume: string): Promise<number> {
  const r = await runVirsh({
    ...ctx,
    args: ["vol-info", "--bytes", "--pool", assertPoolName(pool), assertVolumeName(volume)],
    step: `read the size of ${volume}`,
  });
  const m = /^Capacity:\s+(\d+) bytes$/m.exec(r.stdout);
  if (!m) {
    const output = JSON.stringify(r.stdout.slice(0, 200));
    throw new AppError("INTERNAL", `virsh vol-info gave no capacity for ${volume}: ${output}`, {
      key: "error.vm.resizeNoVolumeSize",
      params: { volume, output },
    });
  }
  return Number(m[1]);
}

export const resizeVmJob = defineJob({
  name: "vm.resize",
  payload: ResizeVmPayload,
  retry: { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 20_000 },
  steps: [
    {
      key: "reserve",
      async run({ prisma, payload }) {
        const vm = await loadVm(prisma, payload.vmId);
        if (vm.state !== "RUNNING" && vm.state !== "STOPPED")
          throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}`, {
            key: "error.vm.inState",
            params: { name: vm.name, vmState: vm.state },
          });
        return { name: vm.name };
      },
      // The old size back on the row (quota and host capacity follow it), but a disk that already
      // grew stays grown: a disk cannot shrink, so the row says what the host holds.
      async compensate({ prisma, payload, outputs, job }) {
        const grew = (outputs.disk as { grewTo?: number } | undefined)?.grewTo !== undefined;
        const row = await prisma.job.findUnique({ where: { id: job.id }, select: { lastError: true, state: true } });
        await prisma.virtualMachine.update({
          where: { id: payload.vmId },
          data: { ...payload.from, ...(grew ? { diskGb: payload.to.diskGb } : {}) },
        });
        const plan = await prisma.plan.findUnique({ where: { id: payload.to.planId }, select: { name: true } });
        const cause = row?.state === "CANCELLED" ? "cancelled" : (row?.lastError ?? "the job stopped");
        await addVmEvent({
          prisma,
          vmId: payload.vmId,
          kind: "resize-failed",
          message: `Resize to ${plan?.name ?? "the new plan"} failed and was undone: ${cause}`,
          key: "event.resizeFailed",
          params: { plan: plan?.name ?? "?", cause },
        });
      },
    },
    {
      key: "disk",
      async run({ prisma, payload }) {
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        if (payload.to.diskGb <= payload.from.diskGb) return { grewTo: null, online: false };
        const ctx = vmHostContext(vm, prisma);
        const volume = diskVolumeName(vm.domainName);
        const bytes = payload.to.diskGb * GIB;
        const online = isRunning(await getDomainState({ ...ctx, name: vm.domainName }));
        if ((await diskCapacity(ctx, vm.pool.name, volume)) >= bytes) return { grewTo: bytes, online };
        if (online) {
          await runVirsh({ ...ctx, args: ["blockresize", "--", vm.domainName, "vda", `${bytes}B`], step: `grow ${volume} online` });
        } else {
          await runVirsh({
            ...ctx,
            args: ["vol-resize", "--pool", assertPoolName(vm.pool.name), assertVolumeName(volume), `${bytes}B`],
            step: `grow ${volume}`,
          });
        }
        const now = await diskCapacity(ctx, vm.pool.name, volume);
        if (now < bytes)
          throw new AppError("INTERNAL", `${volume} is ${now} bytes after growing it to ${bytes}`, {
            key: "error.vm.resizeDiskShort",
            params: { volume, now, bytes },
          });
        return { grewTo: bytes, online };
      },
    },
    {
      key: "filesystem",
      async run({ prisma, payload, outputs }) {
        const disk = outputs.disk as { grewTo: number | null; online: boolean };
        if (disk.grewTo === null || !disk.online) return { grown: false, sizeBytes: null };
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const shell = vmGuestShell({ vm, step: "grow the root filesystem" });
        const r = await runRootScript({ shell, script: GROW_FILESYSTEM_SCRIPT, what: "Growing the root filesystem" });
        const size = Number(r.stdout.trim().split("\n").pop());
        // ext4 keeps some of the disk for its own metadata: within 5 % of the disk is grown.
        if (!Number.isFinite(size) || size < disk.grewTo * 0.9)
          throw new AppError("INTERNAL", `the guest's root filesystem is ${size} bytes after growing it to a ${disk.grewTo}-byte disk`, {
            key: "error.vm.resizeFilesystemShort",
            params: { size, bytes: disk.grewTo },
          });
        return { grown: true, sizeBytes: size };
      },
    },
    {
      key: "cpu-memory",
      async run({ prisma, payload }) {
        const { from, to } = payload;
        if (to.vcpus === from.vcpus && to.memoryMb === from.memoryMb) return { changed: false };
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const ctx = vmHostContext(vm, prisma);
        const dom = vm.domainName;
        const virsh = (args: string[], step: string) => runVirsh({ ...ctx, args, step });
        // The maximum first when growing, last when shrinking: libvirt refuses a current above the maximum.
        const vcpus = [
          ["setvcpus", "--config", "--maximum", "--", dom, String(to.vcpus)],
          ["setvcpus", "--config", "--", dom, String(to.vcpus)],
        ];
        const kib = String(to.memoryMb * 1024);
        const memory = [
          ["setmaxmem", "--config", "--", dom, kib],
          ["setmem", "--config", "--", dom, kib],
        ];
        for (const args of to.vcpus >= from.vcpus ? vcpus : vcpus.reverse()) await virsh(args, `set ${dom}'s vCPUs`);
        for (const args of to.memoryMb >= from.memoryMb ? memory : memory.reverse()) await virsh(args, `set ${dom}'s memory`);
        return { changed: true };
      },
    },
    {
      key: "record",
      async run({ prisma, payload, outputs }) {
        const vm = await loadVm(prisma, payload.vmId);
        const disk = outputs.disk as { grewTo: number | null; online: boolean };
        const fs = outputs.filesystem as { grown: boolean };
        const cpu = outputs["cpu-memory"] as { changed: boolean };
        const parts = [
          disk.grewTo === null
            ? null
            : fs.grown
              ? "the disk and its filesystem grew online"
              : "the disk grew; its filesystem grows at the next start",
          cpu.changed ? "vCPUs and memory apply at the next start (shut down, then start)" : null,
        ].filter(Boolean);
        const how = parts.join("; ");
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "resized",
          message: `Resized to ${vm.plan.name}: ${vm.vcpus} vCPUs, ${vm.memoryMb} MiB, ${vm.diskGb} GB disk; ${how}`,
          key: "event.resized",
          params: { plan: vm.plan.name, vcpus: vm.vcpus, memoryMb: vm.memoryMb, diskGb: vm.diskGb, how },
        });
        return { how };
      },
    },
  ],
});
