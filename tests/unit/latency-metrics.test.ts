import { describe, expect, it } from "vitest";
import { formatLatencyMetrics } from "@/lib/latency/metrics";
import type { RegionLatency } from "@/lib/latency/region";

const base: RegionLatency = {
  regionId: "r",
  regionCode: "osl1",
  regionName: "Oslo",
  targetId: "t",
  exchange: "NIX Oslo",
  targetName: 'rs "1"\\a',
  method: "ICMP",
  medianMs: 1.25,
  p95Ms: 2,
  jitterMs: 0.1234567,
  loss: 0,
  sent: 10,
  received: 10,
  samples: 2,
  failedSamples: 0,
  hosts: 1,
  lastAt: new Date("2026-11-29T12:00:00Z"),
  lastError: null,
  status: "ok",
};

describe("formatLatencyMetrics", () => {
  it("writes gauges with escaped labels in Prometheus text format", () => {
    const text = formatLatencyMetrics([base]);
    expect(text).toContain("# TYPE skjold_latency_median_ms gauge\n");
    expect(text).toContain('skjold_latency_median_ms{region="osl1",exchange="NIX Oslo",target="rs \\"1\\"\\\\a",method="icmp"} 1.25\n');
    expect(text).toContain('skjold_latency_jitter_ms{region="osl1",exchange="NIX Oslo",target="rs \\"1\\"\\\\a",method="icmp"} 0.123457\n');
    expect(text).toContain("skjold_latency_last_success_timestamp_seconds{");
    expect(text).toMatch(new RegExp(`^skjold_latency_last_success_timestamp_seconds\\{.*\\} ${base.lastAt!.getTime() / 1000}$`, "m"));
    expect(text.endsWith("\n")).toBe(true);
  });

  it("leaves out figures that do not exist instead of exporting 0", () => {
    const text = formatLatencyMetrics([
      { ...base, medianMs: null, p95Ms: null, jitterMs: null, loss: null, lastAt: null, status: "no-data" },
    ]);
    expect(text).not.toMatch(/^skjold_latency_median_ms\{/m);
    expect(text).toMatch(/^skjold_latency_fresh\{.*\} 0$/m);
    expect(text).toMatch(/^skjold_latency_samples\{.*\} 2$/m);
  });
});
