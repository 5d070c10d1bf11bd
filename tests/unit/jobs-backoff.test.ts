import { describe, expect, it } from "vitest";
import { computeBackoffMs } from "@/lib/jobs/backoff";

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

describe("computeBackoffMs", () => {
  it("doubles the ceiling with each attempt and keeps at least half of it", () => {
    const low = (attempt: number) => computeBackoffMs({ attempt, policy, random: () => 0 });
    const high = (attempt: number) => computeBackoffMs({ attempt, policy, random: () => 1 });
    expect([1, 2, 3, 4].map(high)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it("never exceeds the maximum delay, even after very many attempts", () => {
    expect(computeBackoffMs({ attempt: 10, policy, random: () => 1 })).toBe(60_000);
    expect(computeBackoffMs({ attempt: 10_000, policy, random: () => 1 })).toBe(60_000);
  });

  it("spreads jobs that fail together (jitter)", () => {
    const delays = new Set(Array.from({ length: 50 }, () => computeBackoffMs({ attempt: 5, policy })));
    expect(delays.size).toBeGreaterThan(10);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(8_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(16_000);
  });
});
