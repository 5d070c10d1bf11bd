import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient, VmState } from "../../generated/prisma/client";
import { hostContext, sharedSshPool } from "../../hosts/host-target";
import { enqueueJob } from "../../jobs/enqueue";
import { listDomains } from "../../libvirt/domains";
import { loadPlacementHosts, lockRegion } from "../../placement/region-snapshot";
import { placeWarmGuest, warmShortfall } from "../../placement/warm-pool";
import { deleteVmJob } from "../delete/delete-vm-job";
import { addVmEvent } from "../shared/vm-events";
import { newGuestMac } from "../shared/vm-nic";
import { readWarmPoolHealth } from "./pool-health";
import { warmVmJob } from "./warm-vm-job";

// The warm pools' refill: guests that died or failed are discarded, then each pool is topped up to
// its size, one guest at a time under the region lock, on a host where an ordinary order of the same
// plan still fits beside it. A pool never holds more than its size. A pool whose warm boots keep
// failing backs off (pool-health.ts): after each failure in a row it waits twice as long.

export interface RefillReport {
  started: { pool: string; vmId: string; host: string }[];
  discarded: { vmId: string; reason: string }[];
  skipped: { pool: string; reason: string }[];
}

/** Warm guests: booted for a pool and not handed to any team. */
export const WARM_GUEST = { warmPoolId: { not: null }, teamId: null } as const;

/** A warm guest that holds its place in its pool: warming (PENDING, PROVISIONING) or ready (RUNNING). */
const HELD: VmState[] = ["PENDING", "PROVISIONING", "RUNNING"];

type PoolRow = Prisma.WarmPoolGetPayload<{ include: { region: true; plan: true; image: true } }>;

export async function refillWarmPools(opts: { prisma: PrismaClient }): Promise<RefillReport> {
  const { prisma } = opts;
  const report: RefillReport = { started: [], discarded: [], skipped: [] };
  await discardDeadGuests(prisma, report);
  const pools = await prisma.warmPool.findMany({ include: { region: true, plan: true, image: true }, orderBy: { createdAt: "asc" } });
  // Every pool's guests counted in one query, by pool and state.
  const counts = await prisma.virtualMachine.groupBy({
    by: ["warmPoolId", "state"],
    where: { ...WARM_GUEST, state: { in: HELD } },
    _count: { _all: true },
  });
  const health = await readWarmPoolHealth({ prisma, pools });
  for (const pool of pools) {
    const label = `${pool.region.code}/${pool.plan.code}/${pool.image.slug}`;
    const n = (s: VmState) => counts.find((c) => c.warmPoolId === pool.id && c.state === s)?._count._all ?? 0;
    const lacking = warmShortfall({ size: pool.size, ready: n("RUNNING"), warming: n("PENDING") + n("PROVISIONING") });
    const failing = health.get(pool.id);
    if (lacking > 0 && failing?.retryAt) {
      report.skipped.push({
        pool: label,
        reason: `backing off: ${failing.failures} warm boot(s) failed in a row, next one at ${failing.retryAt.toISOString()}`,
      });
      continue;
    }
    for (let i = 0; i < lacking; i++) {
      const started = await startWarmGuest({ prisma, pool });
      if (!started.ok) {
        report.skipped.push({ pool: label, reason: started.reason });
        break;
      }
      report.started.push({ pool: label, vmId: started.vmId, host: started.host });
    }
  }
  return report;
}

async function startWarmGuest(opts: {
  prisma: PrismaClient;
  pool: PoolRow;
}): Promise<{ ok: true; vmId: string; host: string } | { ok: false; reason: string }> {
  const { prisma, pool } = opts;
  const request = { regionCode: pool.region.code, vcpus: pool.plan.vcpus, memoryMb: pool.plan.memoryMb, diskGb: pool.plan.diskGb };
  return prisma.$transaction(
    async (tx) => {
      await lockRegion(tx, pool.regionId);
      // Under the lock, counted again: two refills never start the same missing guest twice.
      const live = await tx.virtualMachine.count({
        where: { ...WARM_GUEST, warmPoolId: pool.id, state: { in: HELD } },
      });
      if (live >= pool.size) return { ok: false as const, reason: "full" };
      const placed = placeWarmGuest({ hosts: await loadPlacementHosts({ tx, regionId: pool.regionId, imageId: pool.imageId }), request });
      if (!placed.ok) return { ok: false as const, reason: placed.explanation };
      const id = randomUUID();
      const short = id.replaceAll("-", "").slice(0, 12);
      await tx.virtualMachine.create({
        data: {
          id,
          teamId: null,
          warmPoolId: pool.id,
          name: `warm-${short}`,
          regionId: pool.regionId,
          planId: pool.planId,
          imageId: pool.imageId,
          hostId: placed.hostId,
          poolId: placed.poolId,
          placementNote: placed.explanation,
          vcpus: pool.plan.vcpus,
          memoryMb: pool.plan.memoryMb,
          diskGb: pool.plan.diskGb,
          domainName: `skj-${short}`,
          adminUser: pool.image.adminUser,
          macAddress: await newGuestMac(tx),
        },
      });
      await tx.vmEvent.create({
        data: { vmId: id, kind: "ordered", message: `Warm guest for pool ${pool.id}; host ${placed.hostName} reserved` },
      });
      await enqueueJob({ prisma: tx, kind: warmVmJob, payload: { vmId: id }, vmId: id, hostId: placed.hostId });
      return { ok: true as const, vmId: id, host: placed.hostName };
    },
    { maxWait: 30_000, timeout: 30_000 },
  );
}

/**
 * A ready warm guest whose domain no longer runs (the host restarted it away, someone destroyed it)
 * and a warm guest whose boot failed are deleted; the refill then replaces them. One `virsh list`
 * per host with ready warm guests.
 */
async function discardDeadGuests(prisma: PrismaClient, report: RefillReport): Promise<void> {
  const ready = await prisma.virtualMachine.findMany({
    where: { ...WARM_GUEST, state: "RUNNING", host: { status: "ONLINE" } },
    select: { id: true, domainName: true, host: true },
  });
  const byHost = new Map<string, typeof ready>();
  for (const g of ready) byHost.set(g.host!.id, [...(byHost.get(g.host!.id) ?? []), g]);
  for (const guests of byHost.values()) {
    const host = guests[0]!.host!;
    const running = await listDomains(hostContext(host, sharedSshPool(), { prisma }))
      .then((ds) => new Set(ds.filter((d) => d.state === "running").map((d) => d.name)))
      .catch(() => null);
    if (!running) continue;
    for (const g of guests) if (!running.has(g.domainName)) await discard({ prisma, vmId: g.id, report, deadOn: host.name });
  }
  const failed = await prisma.virtualMachine.findMany({ where: { ...WARM_GUEST, state: "FAILED" }, select: { id: true } });
  for (const g of failed) await discard({ prisma, vmId: g.id, report });
}

/** A ready guest whose domain died on `deadOn`, or (without it) one whose boot failed. */
async function discard(opts: { prisma: PrismaClient; vmId: string; report: RefillReport; deadOn?: string }): Promise<void> {
  const { prisma, vmId, report, deadOn } = opts;
  const reason = deadOn ? `its domain no longer runs on ${deadOn}` : "its boot failed";
  // The state moves first, atomically, so an order can no longer take it.
  const moved = await prisma.virtualMachine.updateMany({
    where: { id: vmId, teamId: null, state: { in: ["RUNNING", "FAILED"] } },
    data: { state: "DELETING" },
  });
  if (moved.count === 0) return;
  await addVmEvent({
    prisma,
    vmId,
    kind: "warm-discarded",
    message: `Warm guest discarded: ${reason}`,
    key: deadOn ? "event.warmDiscardedDead" : "event.warmDiscardedFailed",
    params: deadOn ? { host: deadOn } : {},
  });
  await enqueueJob({ prisma, kind: deleteVmJob, payload: { vmId }, dedupeKey: `vm.delete:${vmId}`, vmId });
  report.discarded.push({ vmId, reason });
}
