import type { PrismaClient } from "../generated/prisma/client";
import { RAW_RETENTION_MS } from "./region";
import { latencyStatsOfRuns } from "./stats";

// Retention: raw samples are kept 48 h; older ones are rolled up into one LatencyRollup row per host,
// target, method and UTC hour (median, p95 and jitter of that hour's pooled times, with sent and
// received so loss stays exact) and then deleted. Roll-ups are kept 400 days.
//
// Each hour is claimed in one transaction: the rows read are deleted by id and the transaction
// rolls back unless exactly those rows were deleted, so two workers rolling up at once never count
// a sample twice (the loser's hour is left for its next run).

const ROLLUP_RETENTION_DAYS = 400;
const HOUR = 3_600_000;

export interface RollupResult {
  hours: number;
  samplesRolledUp: number;
  rollupsWritten: number;
  rollupsPruned: number;
  skippedHours: number;
}

type Part = { samples: number; sent: number; received: number; medianMs: number | null; p95Ms: number | null; jitterMs: number | null };

/** Merges a late roll-up into an existing one: counts add up, figures are received-weighted means. */
export function mergeRollupParts(a: Part, b: Part): Part {
  const mean = (x: number | null, y: number | null) => {
    if (x === null || a.received === 0) return y;
    if (y === null || b.received === 0) return x;
    return (x * a.received + y * b.received) / (a.received + b.received);
  };
  return {
    samples: a.samples + b.samples,
    sent: a.sent + b.sent,
    received: a.received + b.received,
    medianMs: mean(a.medianMs, b.medianMs),
    p95Ms: mean(a.p95Ms, b.p95Ms),
    jitterMs: mean(a.jitterMs, b.jitterMs),
  };
}

async function rollupHour(prisma: PrismaClient, from: Date, to: Date): Promise<{ samples: number; rollups: number }> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.latencySample.findMany({ where: { at: { gte: from, lt: to } } });
    const { count } = await tx.latencySample.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    if (count !== rows.length) throw new RollupRaceError();
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.hostId}|${r.targetId}|${r.method}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(r);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      const s = latencyStatsOfRuns(group);
      const part: Part = {
        samples: group.length,
        sent: s.sent,
        received: s.received,
        medianMs: s.medianMs,
        p95Ms: s.p95Ms,
        jitterMs: s.jitterMs,
      };
      const key = { hostId: first.hostId, targetId: first.targetId, method: first.method, hour: from };
      const existing = await tx.latencyRollup.findUnique({ where: { hostId_targetId_method_hour: key } });
      if (existing) await tx.latencyRollup.update({ where: { id: existing.id }, data: mergeRollupParts(existing, part) });
      else await tx.latencyRollup.create({ data: { ...key, regionId: first.regionId, ...part } });
    }
    return { samples: rows.length, rollups: groups.size };
  });
}

class RollupRaceError extends Error {}

export async function rollupLatency(opts: { prisma: PrismaClient; olderThan?: Date; now?: Date }): Promise<RollupResult> {
  const now = opts.now ?? new Date();
  const olderThan = opts.olderThan ?? new Date(now.getTime() - RAW_RETENTION_MS);
  const cutoff = new Date(Math.floor(olderThan.getTime() / HOUR) * HOUR);
  const result: RollupResult = { hours: 0, samplesRolledUp: 0, rollupsWritten: 0, rollupsPruned: 0, skippedHours: 0 };
  let after = new Date(0);
  for (;;) {
    const oldest = await opts.prisma.latencySample.findFirst({
      where: { at: { gte: after, lt: cutoff } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    if (!oldest) break;
    const from = new Date(Math.floor(oldest.at.getTime() / HOUR) * HOUR);
    const to = new Date(Math.min(from.getTime() + HOUR, cutoff.getTime()));
    try {
      const done = await rollupHour(opts.prisma, from, to);
      result.hours += 1;
      result.samplesRolledUp += done.samples;
      result.rollupsWritten += done.rollups;
    } catch (err) {
      const lostRace = err instanceof RollupRaceError || (err as { code?: unknown })?.code === "P2002";
      if (!lostRace) throw err;
      result.skippedHours += 1;
    }
    after = to;
  }
  const pruneBefore = new Date(now.getTime() - ROLLUP_RETENTION_DAYS * 24 * HOUR);
  result.rollupsPruned = (await opts.prisma.latencyRollup.deleteMany({ where: { hour: { lt: pruneBefore } } })).count;
  return result;
}
