import { describe, expect, it } from "vitest";
import { isTargetDue } from "@/lib/latency/due";
import { latencyStatus } from "@/lib/latency/region";
import { mergeRollupParts } from "@/lib/latency/rollup";
import { seriesStepMs } from "@/lib/latency/series";
import { WindowSchema } from "@/lib/latency/schemas";

const now = new Date("2026-11-29T12:00:00Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe("latency decisions", () => {
  it("a target is due once 90 % of its interval has passed, or when never probed", () => {
    expect(isTargetDue({ intervalSec: 300, lastAt: null, now })).toBe(true);
    expect(isTargetDue({ intervalSec: 300, lastAt: ago(269), now })).toBe(false);
    expect(isTargetDue({ intervalSec: 300, lastAt: ago(270), now })).toBe(true);
  });

  it("a figure is stale after three intervals without a reply", () => {
    expect(latencyStatus({ lastAt: null, intervalSec: 300, now })).toBe("no-data");
    expect(latencyStatus({ lastAt: ago(900), intervalSec: 300, now })).toBe("ok");
    expect(latencyStatus({ lastAt: ago(901), intervalSec: 300, now })).toBe("stale");
  });

  it("merging roll-ups adds counts and weights figures by replies", () => {
    const a = { samples: 2, sent: 10, received: 10, medianMs: 10, p95Ms: 20, jitterMs: 1 };
    const b = { samples: 1, sent: 5, received: 0, medianMs: null, p95Ms: null, jitterMs: null };
    expect(mergeRollupParts(a, b)).toEqual({ samples: 3, sent: 15, received: 10, medianMs: 10, p95Ms: 20, jitterMs: 1 });
    const c = { samples: 1, sent: 30, received: 30, medianMs: 30, p95Ms: 40, jitterMs: 3 };
    expect(mergeRollupParts(a, c)).toMatchObject({ received: 40, medianMs: 25, p95Ms: 35, jitterMs: 2.5 });
  });

  it("series buckets grow with the range to at most 300 points", () => {
    expect(seriesStepMs(6 * 3_600_000)).toBe(5 * 60_000);
    expect(seriesStepMs(2 * 86_400_000)).toBe(15 * 60_000);
    expect(seriesStepMs(30 * 86_400_000)).toBe(180 * 60_000);
    expect(seriesStepMs(400 * 86_400_000)).toBe(1440 * 60_000);
  });

  it("reads windows like 15m, 1h, 2d", () => {
    expect(WindowSchema.parse("15m")).toBe(900_000);
    expect(WindowSchema.parse("2d")).toBe(172_800_000);
    expect(WindowSchema.safeParse("1w").success).toBe(false);
    expect(WindowSchema.safeParse("-1h").success).toBe(false);
  });
});
