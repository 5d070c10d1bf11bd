import type { Prisma } from "../generated/prisma/client";
import type { VmState } from "../generated/prisma/enums";
import { hostAddressRoom } from "../network/host-address-room";
import type { PlacementHost } from "./place-vm";

// Reads what placeVm decides on, inside the caller's transaction. The region row is locked first so
// that two orders (or two place steps) in one region decide one after the other on fresh numbers.

/** States whose VMs hold capacity and quota: everything but a failed or deleted VM. */
export const LIVE_VM_STATES: VmState[] = ["PENDING", "PROVISIONING", "RUNNING", "STOPPED", "DELETING"];

export async function lockRegion(tx: Prisma.TransactionClient, regionId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Region" WHERE id = ${regionId}::uuid FOR UPDATE`;
}

export async function loadPlacementHosts(opts: {
  tx: Prisma.TransactionClient;
  regionId: string;
  imageId: string;
  excludeVmId?: string;
}): Promise<PlacementHost[]> {
  const { tx } = opts;
  const hosts = await tx.host.findMany({
    where: { regionId: opts.regionId },
    include: { region: { select: { code: true } }, pools: true, images: { where: { imageId: opts.imageId }, select: { poolId: true } } },
    orderBy: { name: "asc" },
  });
  if (hosts.length === 0) return [];
  const usage = await tx.virtualMachine.groupBy({
    by: ["hostId"],
    where: {
      hostId: { in: hosts.map((h) => h.id) },
      state: { in: LIVE_VM_STATES },
      ...(opts.excludeVmId ? { id: { not: opts.excludeVmId } } : {}),
    },
    _sum: { vcpus: true, memoryMb: true },
  });
  const ports = await tx.virtualMachine.groupBy({
    by: ["hostId"],
    where: { hostId: { in: hosts.map((h) => h.id) }, sshPort: { not: null } },
    _count: { _all: true },
  });
  const room = await hostAddressRoom({ tx, hosts });
  return hosts.map((h) => {
    const used = usage.find((u) => u.hostId === h.id)?._sum;
    const taken = ports.find((p) => p.hostId === h.id)?._count._all ?? 0;
    return {
      id: h.id,
      name: h.name,
      regionCode: h.region.code,
      status: h.status,
      unhealthySince: h.unhealthySince,
      draining: h.draining,
      cpuCount: h.cpuCount,
      memoryMb: h.memoryMb,
      vcpuOvercommit: h.vcpuOvercommit,
      usedVcpus: used?.vcpus ?? 0,
      usedMemoryMb: used?.memoryMb ?? 0,
      pools: h.pools.map((p) => ({ id: p.id, name: p.name, availableBytes: p.availableBytes })),
      imagePoolIds: h.images.map((i) => i.poolId),
      freePorts: Math.max(0, h.forwardPortEnd - h.forwardPortStart + 1 - taken),
      networkMode: h.networkMode,
      networkProblem: h.networkProblem,
      addressProblem: room.find((r) => r.hostId === h.id)?.reason ?? null,
    };
  });
}
