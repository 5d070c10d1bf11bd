import { describe, expect, it } from "vitest";
import { latencyStats, latencyStatsOfRuns, median, percentileNearestRank } from "@/lib/latency/stats";

describe("latency statistics", () => {
  it("median is the middle value, or the mean of the two middle values", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("p95 is nearest rank: always a measured value", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileNearestRank(hundred, 95)).toBe(95);
    expect(percentileNearestRank([10, 20, 30], 95)).toBe(30);
    expect(percentileNearestRank([7], 95)).toBe(7);
  });

  it("jitter is the mean absolute difference of consecutive times, loss is 1 − received/sent", () => {
    const s = latencyStats([10, 12, 11, 15], 5);
    expect(s).toMatchObject({ medianMs: 11.5, p95Ms: 15, sent: 5, received: 4 });
    expect(s.jitterMs).toBeCloseTo((2 + 1 + 4) / 3, 9);
    expect(s.loss).toBeCloseTo(0.2, 9);
    expect(latencyStats([], 3)).toEqual({ medianMs: null, p95Ms: null, jitterMs: null, loss: 1, sent: 3, received: 0 });
    expect(latencyStats([], 0).loss).toBeNull();
  });

  it("pools runs without making jitter pairs across them, and a run that never ran is not loss", () => {
    const s = latencyStatsOfRuns([
      { rttsMs: [10, 10], sent: 2, received: 2 },
      { rttsMs: [30, 31], sent: 3, received: 2 },
      { rttsMs: [], sent: 0, received: 0 },
    ]);
    expect(s.jitterMs).toBe(0.5); // (0 + 1) / 2, not including |30 − 10|
    expect(s.medianMs).toBe(20);
    expect(s.loss).toBeCloseTo(1 / 5);
  });
});
