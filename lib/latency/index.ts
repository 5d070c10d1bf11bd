// Latency to Internet exchanges (NIX Oslo, BIX Bergen, …): targets, probes, statistics, roll-ups.
export { createLatencyTarget, deleteLatencyTarget, updateLatencyTarget } from "./targets";
export { buildProbeScript, type ScriptTarget } from "./script";
export { parseProbeOutput } from "./parse-output";
export { runProbeRound, type ProbeExec, type ProbeHost, type ProbeRoundResult, type ExecResult } from "./round";
export { regionLatency } from "./region";
export { rollupLatency } from "./rollup";
export { latencySeries } from "./series";
export { renderLatencyMetrics } from "./metrics";
