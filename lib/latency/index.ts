// Latency to Internet exchanges (NIX Oslo, BIX Bergen, …): targets, probes, statistics, roll-ups.
export { createLatencyTarget, deleteLatencyTarget, updateLatencyTarget, targetMethod } from "./targets";
export { LatencyTargetInputSchema, LatencyTargetUpdateSchema, type LatencyTargetInput, type LatencyTargetUpdate } from "./schemas";
export { buildProbeScript, type ProbeScript, type ScriptTarget } from "./script";
export { parseProbeOutput, type ProbeOutcome } from "./parse-output";
export { parsePingOutput } from "./parse-ping";
export { parseTcpOutput } from "./parse-tcp";
export type { Measurement } from "./measurement";
export { runProbeRound, type ProbeExec, type ProbeHost, type ProbeRoundResult, type ExecResult } from "./round";
export { latencyStats, latencyStatsOfRuns, median, percentileNearestRank, type LatencyStats } from "./stats";
export { regionLatency, latencyStatus, type RegionLatency, type LatencyStatus } from "./region";
export { rollupLatency, ROLLUP_RETENTION_DAYS, type RollupResult } from "./rollup";
export { latencySeries, type SeriesPoint } from "./series";
export { renderLatencyMetrics, formatLatencyMetrics } from "./metrics";
