import type { PrismaClient } from "../generated/prisma/client";
import { regionLatency, type RegionLatency } from "./region";

// Prometheus text exposition format (version 0.0.4) of the latency per region, exchange, target and
// method over a recent window. A figure that does not exist (no replies) is left out rather than
// exported as 0, which would read as "very fast".

interface Family {
  name: string;
  help: string;
  value: (r: RegionLatency) => number | null;
}

const FAMILIES: Family[] = [
  {
    name: "skjold_latency_median_ms",
    help: "Median round-trip time to the exchange over the window, in milliseconds.",
    value: (r) => r.medianMs,
  },
  {
    name: "skjold_latency_p95_ms",
    help: "95th percentile (nearest rank) round-trip time over the window, in milliseconds.",
    value: (r) => r.p95Ms,
  },
  {
    name: "skjold_latency_jitter_ms",
    help: "Mean absolute difference of consecutive round-trip times, in milliseconds.",
    value: (r) => r.jitterMs,
  },
  { name: "skjold_latency_loss_ratio", help: "Share of probes without a reply over the window (0 to 1).", value: (r) => r.loss },
  { name: "skjold_latency_samples", help: "Probe runs stored over the window.", value: (r) => r.samples },
  {
    name: "skjold_latency_failed_samples",
    help: "Probe runs over the window that got no reply or could not run.",
    value: (r) => r.failedSamples,
  },
  {
    name: "skjold_latency_last_success_timestamp_seconds",
    help: "Unix time of the newest probe run with at least one reply.",
    value: (r) => (r.lastAt ? Math.floor(r.lastAt.getTime() / 1000) : null),
  },
  {
    name: "skjold_latency_fresh",
    help: "1 when the figure is fresh, 0 when it is stale or there is no data.",
    value: (r) => (r.status === "ok" ? 1 : 0),
  },
];

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
}

export function formatLatencyMetrics(rows: readonly RegionLatency[]): string {
  const out: string[] = [];
  for (const f of FAMILIES) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`);
    for (const r of rows) {
      const v = f.value(r);
      if (v === null || !Number.isFinite(v)) continue;
      const labels = [
        ["region", r.regionCode],
        ["exchange", r.exchange],
        ["target", r.targetName],
        ["method", r.method.toLowerCase()],
      ].map(([k, val]) => `${k}="${escapeLabelValue(val!)}"`);
      out.push(`${f.name}{${labels.join(",")}} ${formatValue(v)}`);
    }
  }
  return `${out.join("\n")}\n`;
}

export async function renderLatencyMetrics(opts: { prisma: PrismaClient; window?: string; now?: Date }): Promise<string> {
  const rows = await regionLatency({ prisma: opts.prisma, regionId: "all", window: opts.window ?? "1h", now: opts.now });
  return formatLatencyMetrics(rows);
}
