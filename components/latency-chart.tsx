"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TargetChart } from "@/lib/latency/region-report";

// Latency over time for one target: median (solid) and p95 (dashed) per probe method. Buckets
// without a reply are gaps, never zeros. Rendered in the browser only (recharts measures its
// container); the CSP allows this: the bundle is a 'self' script and recharts styles inline.

export interface LatencyChartLabels {
  median: string;
  p95: string;
  noData: string;
  axis: string;
  caption: string;
}

const COLOURS = { ICMP: "#0b4f71", TCP: "#c8102e" } as const;

const TICK_STEPS_MS = [10, 30, 60, 120, 240, 360, 720, 1440].map((m) => m * 60_000);

/** Round ticks across the whole window (about six), so the axis shows the window, not only the data. */
export function timeTicks(from: number, to: number): number[] {
  const step = TICK_STEPS_MS.find((s) => (to - from) / s <= 8) ?? TICK_STEPS_MS.at(-1)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

function tickFormatter(rangeMs: number) {
  const long = rangeMs > 2 * 86_400_000;
  return (t: number) => {
    const iso = new Date(t).toISOString();
    return long ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}` : iso.slice(11, 16);
  };
}

export function LatencyChart({ chart, labels }: { chart: TargetChart; labels: LatencyChartLabels }) {
  const hasData = chart.rows.some((r) => chart.lines.some((l) => r[l.key] !== null));
  const title = `${chart.exchange} · ${chart.name}`;
  if (!hasData) {
    return (
      <figure className="latency-chart" data-testid="latency-chart" data-empty="true">
        <figcaption>
          <strong>{title}</strong>
        </figcaption>
        <p className="muted chart-empty">{labels.noData}</p>
      </figure>
    );
  }
  const format = tickFormatter(chart.to - chart.from);
  return (
    <figure className="latency-chart" data-testid="latency-chart" data-empty="false">
      <figcaption>
        <strong>{title}</strong> <span className="muted">{labels.caption}</span>
      </figcaption>
      <div className="chart-area" role="img" aria-label={`${title}: ${labels.caption}`}>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
          <LineChart data={chart.rows} margin={{ top: 12, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="#dde3e9" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[chart.from, chart.to]}
              ticks={timeTicks(chart.from, chart.to)}
              tickFormatter={format}
            />
            <YAxis unit=" ms" width={70} allowDecimals domain={[0, "auto"]} />
            <Tooltip
              labelFormatter={(t) => `${new Date(Number(t)).toISOString().slice(0, 16).replace("T", " ")} UTC`}
              formatter={(v) => (typeof v === "number" ? `${v.toFixed(2)} ms` : "–")}
            />
            <Legend />
            {chart.lines.map((l) => (
              <Line
                key={l.key}
                dataKey={l.key}
                name={`${l.method} ${l.stat === "median" ? labels.median : labels.p95}`}
                stroke={COLOURS[l.method]}
                strokeWidth={l.stat === "median" ? 2 : 1.5}
                strokeDasharray={l.stat === "p95" ? "5 4" : undefined}
                dot={chart.rows.length < 30 ? { r: 3, strokeDasharray: "0" } : false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <p className="muted chart-axis">{labels.axis}</p>
    </figure>
  );
}
