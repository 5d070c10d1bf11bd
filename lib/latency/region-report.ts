import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient, Region } from "../generated/prisma/client";
import { currentRegionLatency } from "./current";
import type { RegionLatency } from "./region";
import { latencySeries, type SeriesPoint } from "./series";

// What the region pages and GET /api/v1/regions/{code}/latency… show: the region, its current
// figures per target and method, and chart series. Inactive regions are visible to admins only.

export const CHART_WINDOWS = { "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": 24 * 3_600_000, "7d": 7 * 86_400_000 } as const;
export type ChartWindow = keyof typeof CHART_WINDOWS;
export const ChartWindowSchema = z.enum(Object.keys(CHART_WINDOWS) as [ChartWindow, ...ChartWindow[]]);

export type LatencyFigure = Omit<RegionLatency, "regionId" | "regionCode" | "regionName">;

export interface RegionLatencyReport {
  region: Pick<Region, "code" | "name" | "city" | "country" | "jurisdiction" | "active">;
  figures: LatencyFigure[];
}

export async function findLatencyRegion(opts: { prisma: PrismaClient; code: string; includeInactive: boolean }): Promise<Region> {
  const region = /^[a-z][a-z0-9-]{1,15}$/.test(opts.code) ? await opts.prisma.region.findUnique({ where: { code: opts.code } }) : null;
  if (!region || (!region.active && !opts.includeInactive))
    throw new AppError("NOT_FOUND", "That region does not exist", { key: "error.latency.noRegion" });
  return region;
}

export async function regionLatencyReport(opts: {
  prisma: PrismaClient;
  code: string;
  includeInactive: boolean;
  now?: Date;
}): Promise<RegionLatencyReport> {
  const region = await findLatencyRegion(opts);
  const rows = await currentRegionLatency({ prisma: opts.prisma, regionId: region.id, now: opts.now });
  const figures = rows.map(({ regionId: _r, regionCode: _c, regionName: _n, ...figure }) => figure);
  const { code, name, city, country, jurisdiction, active } = region;
  return { region: { code, name, city, country, jurisdiction, active }, figures };
}

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const SeriesQuerySchema = z
  .object({
    target: z.uuid("must be a probe target id"),
    method: z.enum(["icmp", "tcp"]).default("icmp"),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

/** `from`/`to` default to the last 24 h; the range is limited to 400 days by latencySeries. */
export async function regionLatencySeries(opts: {
  prisma: PrismaClient;
  code: string;
  includeInactive: boolean;
  query: unknown;
  now?: Date;
}) {
  const parsed = SeriesQuerySchema.safeParse(opts.query);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid series query");
  const region = await findLatencyRegion(opts);
  const { target, method } = parsed.data;
  const to = parsed.data.to ?? opts.now ?? new Date();
  const from = parsed.data.from ?? new Date(to.getTime() - CHART_WINDOWS["24h"]);
  if (!(await opts.prisma.latencyTarget.findUnique({ where: { id: target }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", "That probe target does not exist", { key: "error.latency.noTarget" });
  }
  const series = await latencySeries({
    prisma: opts.prisma,
    regionId: region.id,
    targetId: target,
    method: method === "tcp" ? "TCP" : "ICMP",
    from,
    to,
  });
  return { region: region.code, target, method, from, to, ...series };
}

interface ChartLine {
  key: string;
  method: "ICMP" | "TCP";
  stat: "median" | "p95";
}
export interface TargetChart {
  targetId: string;
  exchange: string;
  name: string;
  from: number;
  to: number;
  stepMs: number;
  lines: ChartLine[];
  /** one row per bucket: `t` (epoch ms) and one value (ms or null) per line key */
  rows: Record<string, number | null>[];
}

/** Merges the per-method series of one target into chart rows keyed by time. Pure. */
function chartRows(series: { method: "ICMP" | "TCP"; points: SeriesPoint[] }[]): {
  lines: ChartLine[];
  rows: Record<string, number | null>[];
} {
  const lines: ChartLine[] = series.flatMap(({ method }) =>
    (["median", "p95"] as const).map((stat) => ({ key: `${method.toLowerCase()}_${stat}`, method, stat })),
  );
  const byTime = new Map<number, Record<string, number | null>>();
  for (const { method, points } of series) {
    for (const p of points) {
      const t = p.at.getTime();
      const row = byTime.get(t) ?? byTime.set(t, Object.fromEntries([["t", t], ...lines.map((l) => [l.key, null])])).get(t)!;
      row[`${method.toLowerCase()}_median`] = p.medianMs;
      row[`${method.toLowerCase()}_p95`] = p.p95Ms;
    }
  }
  return { lines, rows: [...byTime.values()].sort((a, b) => a.t! - b.t!) };
}

export async function regionLatencyCharts(opts: {
  prisma: PrismaClient;
  regionId: string;
  window: ChartWindow;
  now?: Date;
}): Promise<TargetChart[]> {
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - CHART_WINDOWS[opts.window]);
  const targets = await opts.prisma.latencyTarget.findMany({ where: { enabled: true }, orderBy: [{ exchange: "asc" }, { name: "asc" }] });
  return Promise.all(
    targets.map(async (t) => {
      const methods = (["ICMP", "TCP"] as const).filter((m) => (m === "ICMP" ? t.icmp : t.tcp));
      const series = await Promise.all(
        methods.map(async (method) => ({
          method,
          ...(await latencySeries({ prisma: opts.prisma, regionId: opts.regionId, targetId: t.id, method, from, to })),
        })),
      );
      return {
        targetId: t.id,
        exchange: t.exchange,
        name: t.name,
        from: from.getTime(),
        to: to.getTime(),
        stepMs: series[0]?.stepMs ?? 0,
        ...chartRows(series),
      };
    }),
  );
}
