import type { PrismaClient } from "../generated/prisma/client";
import { latencyStatus, RAW_RETENTION_MS, regionLatency, STALE_AFTER_INTERVALS, type RegionLatency } from "./region";

// "Current" latency as pages and the API show it. Each target's figures cover its own stale
// horizon (3 × its interval, at least 1 h, at most the 48 h of raw retention), so a target probed
// once a day still has figures between probes. A target with no reply in that window but an older
// successful sample is reported "stale" with that sample's time, not "no-data": "no-data" means
// nothing answered within the whole raw retention.

const HOUR_MS = 3_600_000;

function currentWindowMs(intervalSec: number): number {
  return Math.min(RAW_RETENTION_MS, Math.max(HOUR_MS, STALE_AFTER_INTERVALS * intervalSec * 1000));
}

const asWindow = (ms: number) => `${Math.round(ms / 60_000)}m`;

export async function currentRegionLatency(opts: { prisma: PrismaClient; regionId: string | "all"; now?: Date }): Promise<RegionLatency[]> {
  const { prisma } = opts;
  const now = opts.now ?? new Date();
  const targets = await prisma.latencyTarget.findMany({ where: { enabled: true }, select: { id: true, intervalSec: true } });
  const windowOf = new Map(targets.map((t) => [t.id, currentWindowMs(t.intervalSec)]));
  const windows = [...new Set(windowOf.values())].sort((a, b) => a - b);
  if (windows.length === 0) windows.push(HOUR_MS); // still validates the region (NOT_FOUND)

  const byWindow = await Promise.all(windows.map((w) => regionLatency({ prisma, regionId: opts.regionId, window: asWindow(w), now })));
  const rows = byWindow[0]!.map((row) => {
    const own = windows.indexOf(windowOf.get(row.targetId) ?? HOUR_MS);
    return byWindow[own]!.find((r) => r.regionId === row.regionId && r.targetId === row.targetId && r.method === row.method) ?? row;
  });
  return withLastSuccess({ prisma, rows, now, intervalOf: new Map(targets.map((t) => [t.id, t.intervalSec])) });
}

/** For rows without a reply in their window: the newest reply within raw retention, if any. */
async function withLastSuccess(opts: {
  prisma: PrismaClient;
  rows: RegionLatency[];
  now: Date;
  intervalOf: Map<string, number>;
}): Promise<RegionLatency[]> {
  const missing = opts.rows.filter((r) => r.lastAt === null);
  if (missing.length === 0) return opts.rows;
  const found = await opts.prisma.latencySample.groupBy({
    by: ["regionId", "targetId", "method"],
    where: {
      regionId: { in: [...new Set(missing.map((r) => r.regionId))] },
      targetId: { in: [...new Set(missing.map((r) => r.targetId))] },
      received: { gt: 0 },
      at: { gte: new Date(opts.now.getTime() - RAW_RETENTION_MS), lte: opts.now },
    },
    _max: { at: true },
  });
  const last = new Map(found.map((f) => [`${f.regionId}|${f.targetId}|${f.method}`, f._max.at]));
  return opts.rows.map((r) => {
    const lastAt = r.lastAt ?? last.get(`${r.regionId}|${r.targetId}|${r.method}`) ?? null;
    if (lastAt === r.lastAt) return r;
    const status = latencyStatus({ lastAt, intervalSec: opts.intervalOf.get(r.targetId) ?? 300, now: opts.now });
    // Replies exist but none in this target's window: by construction that is stale.
    return { ...r, lastAt, status: status === "ok" ? "stale" : status };
  });
}
