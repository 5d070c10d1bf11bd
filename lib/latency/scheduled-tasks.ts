import type { PrismaClient } from "../generated/prisma/client";
import type { ScheduledTask } from "../jobs/schedules";
import { sshProbeExec } from "./probe-exec";
import { runProbeRound, type ProbeExec, type ProbeRoundResult } from "./round";
import { rollupLatency } from "./rollup";

// The two cluster-wide schedules of the latency domain. "latency.probe" ticks every minute and
// probes only the targets whose own interval has elapsed (runProbeRound's due rule), so an admin's
// per-target interval is honoured without one schedule per target. "latency.rollup" folds raw
// samples older than 48 h into hourly roll-ups and prunes old ones.

const LATENCY_PROBE_TICK_SEC = 60;
const LATENCY_ROLLUP_INTERVAL_SEC = 3600;

export interface LatencyScheduledTasksOptions {
  /** the probe executor; defaults to each host's pooled SSH connection */
  exec?: (prisma: PrismaClient) => ProbeExec;
  /** one line per host that failed in a round; defaults to console.warn */
  log?: (line: string) => void;
}

function describeRoundFailures(round: ProbeRoundResult): string[] {
  return round.hosts.filter((h) => h.error).map((h) => `[latency] ${h.hostName}: ${h.error}`);
}

export function latencyScheduledTasks(opts: LatencyScheduledTasksOptions = {}): ScheduledTask[] {
  const execFor = opts.exec ?? ((prisma: PrismaClient) => sshProbeExec({ prisma }));
  const log = opts.log ?? ((line: string) => console.warn(line));
  return [
    {
      name: "latency.probe",
      intervalSec: LATENCY_PROBE_TICK_SEC,
      async run({ prisma }) {
        const round = await runProbeRound({ prisma, exec: execFor(prisma) });
        for (const line of describeRoundFailures(round)) log(line);
      },
    },
    {
      name: "latency.rollup",
      intervalSec: LATENCY_ROLLUP_INTERVAL_SEC,
      async run({ prisma }) {
        await rollupLatency({ prisma });
      },
    },
  ];
}
