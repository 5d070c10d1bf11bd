import type { ErrorKey, TextParams } from "../../core/error-text";
import type { PlacementHost } from "../../placement/place-vm";

// Whether a VM may change to another plan, as a pure decision: a disk never shrinks, and what grows
// must fit the VM's own host (its other VMs' use, this VM's excluded). The team's quota is checked by
// the caller with the ordinary quota rule.

const GIB = 2 ** 30;

export interface ResizeSizes {
  name: string;
  from: { vcpus: number; memoryMb: number; diskGb: number };
  to: { code: string; name: string; vcpus: number; memoryMb: number; diskGb: number };
}

export type ResizeRefusal = { code: "VALIDATION" | "CONFLICT" | "NO_CAPACITY"; message: string; key: ErrorKey; params: TextParams };

/** Whether the new plan is a change this VM can take at all (checked first, before quota and room). */
export function planChangeRefusal(opts: ResizeSizes): ResizeRefusal | null {
  const { name, from, to } = opts;
  if (to.diskGb < from.diskGb)
    return {
      code: "VALIDATION",
      message:
        `Plan ${to.name} has a ${to.diskGb} GB disk and ${name}'s is ${from.diskGb} GB: a disk cannot shrink. ` +
        `Pick a plan with at least ${from.diskGb} GB.`,
      key: "error.vm.resizeShrink",
      params: { name, plan: to.name, planDisk: to.diskGb, vmDisk: from.diskGb, minDisk: from.diskGb },
    };
  if (to.vcpus === from.vcpus && to.memoryMb === from.memoryMb && to.diskGb === from.diskGb)
    return {
      code: "CONFLICT",
      message: `${name} already has ${to.name}'s size; nothing to change.`,
      key: "error.vm.resizeSame",
      params: { name, plan: to.name },
    };
  return null;
}

/** Whether what grows fits the VM's own host beside its other VMs. */
export function hostRoomRefusal(opts: ResizeSizes & { host: PlacementHost | undefined; poolId: string }): ResizeRefusal | null {
  const { name, from, to, host } = opts;
  if (!host?.cpuCount || !host.memoryMb)
    return {
      code: "NO_CAPACITY",
      message: `${name}'s host has not reported its capacity yet; try again later.`,
      key: "error.vm.resizeHostUnknown",
      params: { name },
    };
  const vcpuCap = Math.floor(host.cpuCount * host.vcpuOvercommit);
  if (to.vcpus > from.vcpus && host.usedVcpus + to.vcpus > vcpuCap)
    return {
      code: "NO_CAPACITY",
      message: `${name}'s host ${host.name} has no room for ${to.name}: its other VMs use ${host.usedVcpus} of ${vcpuCap} vCPUs and the new plan needs ${to.vcpus}.`,
      key: "error.vm.resizeNoVcpus",
      params: { name, host: host.name, plan: to.name, used: host.usedVcpus, cap: vcpuCap, needs: to.vcpus },
    };
  if (to.memoryMb > from.memoryMb && host.usedMemoryMb + to.memoryMb > host.memoryMb)
    return {
      code: "NO_CAPACITY",
      message: `${name}'s host ${host.name} has no room for ${to.name}: its other VMs use ${host.usedMemoryMb} of ${host.memoryMb} MiB and the new plan needs ${to.memoryMb} MiB.`,
      key: "error.vm.resizeNoMemory",
      params: { name, host: host.name, plan: to.name, used: host.usedMemoryMb, cap: host.memoryMb, needs: to.memoryMb },
    };
  const pool = host.pools.find((p) => p.id === opts.poolId);
  const growBytes = BigInt(to.diskGb - from.diskGb) * BigInt(GIB);
  if (growBytes > 0n && (!pool || BigInt(pool.availableBytes) < growBytes)) {
    const free = Math.floor(Number(pool?.availableBytes ?? 0) / GIB);
    const more = to.diskGb - from.diskGb;
    return {
      code: "NO_CAPACITY",
      message: `${name}'s host ${host.name} has ${free} GiB free in its storage pool; ${to.name}'s disk needs ${more} GiB more.`,
      key: "error.vm.resizeNoDisk",
      params: { name, host: host.name, plan: to.name, free, more },
    };
  }
  return null;
}
