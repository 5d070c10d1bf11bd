// Latency statistics, all pure.
//
// Definitions (docs/latency.md repeats them for operators):
// - median: the middle value of the sorted round-trip times; the mean of the two middle ones when
//   the count is even.
// - p95: nearest rank: the value at rank ceil(0.95 × n) of the sorted times, so it is always a time
//   that was really measured (with few samples it is the maximum).
// - jitter: the mean absolute difference between consecutive round-trip times of one probe run
//   (|r2 − r1|, |r3 − r2|, …), in the spirit of RFC 3550's interarrival jitter but without its 1/16
//   smoothing, so a short window gives an unbiased figure. Pairs never span two runs or two hosts.
// - loss: 1 − received / sent over the runs that really sent something; a probe that could not run
//   (sent 0) says nothing about the network and is counted as a failure, not as loss.

export interface LatencyStats {
  medianMs: number | null;
  p95Ms: number | null;
  jitterMs: number | null;
  loss: number | null;
  sent: number;
  received: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentileNearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1]!;
}

function jitterParts(rtts: readonly number[]): { sum: number; pairs: number } {
  let sum = 0;
  for (let i = 1; i < rtts.length; i++) sum += Math.abs(rtts[i]! - rtts[i - 1]!);
  return { sum, pairs: Math.max(0, rtts.length - 1) };
}

/** Statistics of one probe run: its round-trip times in the order measured, and how many were sent. */
export function latencyStats(rttsMs: readonly number[], sent: number): LatencyStats {
  return latencyStatsOfRuns([{ rttsMs, sent, received: rttsMs.length }]);
}

/** Statistics over many runs (hosts, rounds) pooled: times pooled, jitter pairs kept within a run. */
export function latencyStatsOfRuns(runs: readonly { rttsMs: readonly number[]; sent: number; received: number }[]): LatencyStats {
  const all: number[] = [];
  let sent = 0;
  let received = 0;
  let jitterSum = 0;
  let pairs = 0;
  for (const run of runs) {
    for (const r of run.rttsMs) all.push(r);
    sent += run.sent;
    received += run.received;
    const j = jitterParts(run.rttsMs);
    jitterSum += j.sum;
    pairs += j.pairs;
  }
  return {
    medianMs: median(all),
    p95Ms: percentileNearestRank(all, 95),
    jitterMs: pairs > 0 ? jitterSum / pairs : null,
    loss: sent > 0 ? Math.max(0, 1 - received / sent) : null,
    sent,
    received,
  };
}
