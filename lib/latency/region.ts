import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { WindowSchema } from "./schemas";
import { latencyStatsOfRuns, type LatencyStats } from "./stats";

// Latency per region per target per method over a recent window of raw samples: what the order
// page and the admin view show. Every active region × enabled target × method gets an entry, so a
// region that has never been measured shows "no-data" instead of silently missing.

export type LatencyStatus = "ok" | "stale" | "no-data";
type LatencyMethod = "ICMP" | "TCP";

export interface RegionLatency extends LatencyStats {
  regionId: string;
  regionCode: string;
  regionName: string;
  targetId: string;
  exchange: string;
  targetName: string;
  method: LatencyMethod;
  samples: number;
  failedSamples: number;
  hosts: number;
  lastAt: Date | null;
  lastError: string | null;
  status: LatencyStatus;
}

/** How many intervals may pass without a successful sample before the figure is called stale. */
export const STALE_AFTER_INTERVALS = 3;
/** Raw samples are kept this long (see rollup.ts), so a window cannot be longer. */
export const RAW_RETENTION_MS = 48 * 3_600_000;

const RegionLatencyOptionsSchema = z.object({
  regionId: z.union([z.literal("all"), z.uuid()]),
  window: z
    .string()
    .default("1h")
    .pipe(WindowSchema)
    .refine((ms) => ms > 0 && ms <= RAW_RETENTION_MS, "at most 48h"),
});

export function latencyStatus(opts: { lastAt: Date | null; intervalSec: number; now: Date }): LatencyStatus {
  if (!opts.lastAt) return "no-data";
  const age = opts.now.getTime() - opts.lastAt.getTime();
  return age > STALE_AFTER_INTERVALS * opts.intervalSec * 1000 ? "stale" : "ok";
}

export async function regionLatency(opts: {
  prisma: PrismaClient;
  regionId: string | "all";
  window?: string;
  now?: Date;
}): Promise<RegionLatency[]> {
  const parsed = RegionLatencyOptionsSchema.safeParse({ regionId: opts.regionId, window: opts.window });
  if (!parsed.success) throw fromZod(parsed.error, "Invalid latency query");
  const now = opts.now ?? new Date();
  const { prisma } = opts;
  const regionWhere = parsed.data.regionId === "all" ? { active: true } : { id: parsed.data.regionId };
  const regions = await prisma.region.findMany({ where: regionWhere, orderBy: { code: "asc" } });
  if (parsed.data.regionId !== "all" && regions.length === 0)
    throw new AppError("NOT_FOUND", "That region does not exist", { key: "error.latency.noRegion" });
  const targets = await prisma.latencyTarget.findMany({ where: { enabled: true }, orderBy: [{ exchange: "asc" }, { name: "asc" }] });
  const samples = await prisma.latencySample.findMany({
    where: { regionId: { in: regions.map((r) => r.id) }, at: { gte: new Date(now.getTime() - parsed.data.window), lte: now } },
    select: { regionId: true, targetId: true, hostId: true, method: true, at: true, sent: true, received: true, rttsMs: true, error: true },
    orderBy: { at: "asc" },
  });
  const groups = new Map<string, typeof samples>();
  for (const s of samples) {
    const key = `${s.regionId}|${s.targetId}|${s.method}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(s);
  }

  return regions.flatMap((region) =>
    targets.flatMap((target) =>
      (["ICMP", "TCP"] as const)
        .filter((m) => (m === "ICMP" ? target.icmp : target.tcp))
        .map((method): RegionLatency => {
          const group = groups.get(`${region.id}|${target.id}|${method}`) ?? [];
          const good = group.filter((s) => s.received > 0);
          const lastAt = good.at(-1)?.at ?? null;
          return {
            regionId: region.id,
            regionCode: region.code,
            regionName: region.name,
            targetId: target.id,
            exchange: target.exchange,
            targetName: target.name,
            method,
            ...latencyStatsOfRuns(group),
            samples: group.length,
            failedSamples: group.length - good.length,
            hosts: new Set(group.map((s) => s.hostId)).size,
            lastAt,
            lastError: group.at(-1)?.error ?? null,
            status: latencyStatus({ lastAt, intervalSec: target.intervalSec, now }),
          };
        }),
    ),
  );
}
