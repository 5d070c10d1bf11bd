import type { PrismaClient } from "../generated/prisma/client";
import { currentRegionLatency } from "./current";
import type { LatencyStatus, RegionLatency } from "./region";

// One latency figure per region for the order page's region picker: the exchange named "NIX…"
// (NIX Oslo), or, when no such exchange is configured, the first exchange in alphabetical order.
// Within that exchange a region's figure is its best current one: fresh before stale before no
// data, then the lowest median (the nearest route server is the latency to the exchange).

export interface RegionLatencyFigure {
  regionCode: string;
  exchange: string;
  targetName: string;
  method: "ICMP" | "TCP";
  medianMs: number | null;
  p95Ms: number | null;
  loss: number | null;
  lastAt: Date | null;
  status: LatencyStatus;
}

const STATUS_RANK: Record<LatencyStatus, number> = { ok: 0, stale: 1, "no-data": 2 };

function pickExchange(exchanges: readonly string[]): string | null {
  const sorted = [...new Set(exchanges)].sort((a, b) => a.localeCompare(b));
  return sorted.find((e) => /^nix\b/i.test(e)) ?? sorted[0] ?? null;
}

function bestFigure(rows: readonly RegionLatency[]): RegionLatency | null {
  const byQuality = (a: RegionLatency, b: RegionLatency) =>
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    (a.medianMs ?? Infinity) - (b.medianMs ?? Infinity) ||
    a.targetName.localeCompare(b.targetName) ||
    a.method.localeCompare(b.method);
  return [...rows].sort(byQuality)[0] ?? null;
}

/** Per active region code, its figure to NIX; regions are absent only when no target is configured. */
export async function nixLatencyByRegion(opts: { prisma: PrismaClient; now?: Date }): Promise<Record<string, RegionLatencyFigure>> {
  const rows = await currentRegionLatency({ prisma: opts.prisma, regionId: "all", now: opts.now });
  const exchange = pickExchange(rows.map((r) => r.exchange));
  const out: Record<string, RegionLatencyFigure> = {};
  if (!exchange) return out;
  const byRegion = new Map<string, RegionLatency[]>();
  for (const r of rows)
    if (r.exchange === exchange) (byRegion.get(r.regionCode) ?? byRegion.set(r.regionCode, []).get(r.regionCode)!).push(r);
  for (const [code, regionRows] of byRegion) {
    const best = bestFigure(regionRows)!;
    out[code] = {
      regionCode: code,
      exchange: best.exchange,
      targetName: best.targetName,
      method: best.method,
      medianMs: best.medianMs,
      p95Ms: best.p95Ms,
      loss: best.loss,
      lastAt: best.lastAt,
      status: best.status,
    };
  }
  return out;
}
