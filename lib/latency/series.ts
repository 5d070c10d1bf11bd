import { z } from "zod";
import { fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { mergeRollupParts } from "./rollup";
import { latencyStatsOfRuns } from "./stats";

// A time series for a chart: one point per bucket between `from` and `to` for one region, target
// and method. Buckets are 5 min … 1 day, grown so a range has at most ~300 points. Raw
// samples give exact figures; hours that were already rolled up contribute their hourly figures as
// received-weighted means (an approximation, marked with source "rollup" or "mixed").

export interface SeriesPoint {
  at: Date;
  medianMs: number | null;
  p95Ms: number | null;
  jitterMs: number | null;
  loss: number | null;
  samples: number;
  source: "raw" | "rollup" | "mixed";
}

const STEPS_MS = [5, 15, 30, 60, 180, 360, 720, 1440].map((m) => m * 60_000);
const MAX_POINTS = 300;

const SeriesOptionsSchema = z
  .object({
    regionId: z.uuid(),
    targetId: z.uuid(),
    method: z.enum(["ICMP", "TCP"]).default("ICMP"),
    from: z.date(),
    to: z.date(),
  })
  .refine((o) => o.from < o.to, { message: "from must be before to", path: ["from"] })
  .refine((o) => o.to.getTime() - o.from.getTime() <= 400 * 86_400_000, { message: "at most 400 days", path: ["to"] });

export function seriesStepMs(rangeMs: number): number {
  return STEPS_MS.find((s) => rangeMs / s <= MAX_POINTS) ?? STEPS_MS.at(-1)!;
}

type Bucket = {
  raw: { rttsMs: number[]; sent: number; received: number }[];
  rollup: Parameters<typeof mergeRollupParts>[0] | null;
  samples: number;
};

export async function latencySeries(opts: {
  prisma: PrismaClient;
  regionId: string;
  targetId: string;
  method?: "ICMP" | "TCP";
  from: Date;
  to: Date;
}): Promise<{ stepMs: number; points: SeriesPoint[] }> {
  const { prisma, ...input } = opts;
  const parsed = SeriesOptionsSchema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid latency series query");
  const { regionId, targetId, method, from, to } = parsed.data;
  const stepMs = seriesStepMs(to.getTime() - from.getTime());
  const buckets = new Map<number, Bucket>();
  const bucket = (at: Date) => {
    const key = Math.floor(at.getTime() / stepMs) * stepMs;
    return buckets.get(key) ?? buckets.set(key, { raw: [], rollup: null, samples: 0 }).get(key)!;
  };
  const where = { regionId, targetId, method };
  const [raw, rollups] = await Promise.all([
    prisma.latencySample.findMany({
      where: { ...where, at: { gte: from, lt: to } },
      select: { at: true, rttsMs: true, sent: true, received: true },
    }),
    prisma.latencyRollup.findMany({ where: { ...where, hour: { gte: from, lt: to } } }),
  ]);
  for (const s of raw) {
    const b = bucket(s.at);
    b.raw.push(s);
    b.samples += 1;
  }
  for (const r of rollups) {
    const b = bucket(r.hour);
    b.rollup = b.rollup ? mergeRollupParts(b.rollup, r) : r;
    b.samples += r.samples;
  }
  const points = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, b]): SeriesPoint => {
      const exact = latencyStatsOfRuns(b.raw);
      const rawPart = {
        samples: b.raw.length,
        sent: exact.sent,
        received: exact.received,
        medianMs: exact.medianMs,
        p95Ms: exact.p95Ms,
        jitterMs: exact.jitterMs,
      };
      const merged = b.rollup ? (b.raw.length > 0 ? mergeRollupParts(b.rollup, rawPart) : b.rollup) : rawPart;
      return {
        at: new Date(key),
        medianMs: merged.medianMs,
        p95Ms: merged.p95Ms,
        jitterMs: merged.jitterMs,
        loss: merged.sent > 0 ? 1 - merged.received / merged.sent : null,
        samples: b.samples,
        source: b.rollup ? (b.raw.length > 0 ? "mixed" : "rollup") : "raw",
      };
    });
  return { stepMs, points };
}
