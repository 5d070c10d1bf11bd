import type { Json } from "./define";
import { computeBackoffMs } from "./backoff";
import { describeError, isTransientError } from "./errors";
import { abandon, loadSteps, reportStepFailure, stepContext, type JobOutcome, type JobRun } from "./job-run";
import { sleep } from "./lease-guard";
import { finishJob, markStepCompensated, recordCompensationError } from "./step-writes";

// Undoes the SUCCEEDED steps in reverse order. Each undone step is checkpointed as COMPENSATED, so a
// rollback interrupted by a dead worker resumes where it stopped. A compensation that keeps failing
// leaves its step SUCCEEDED with the error, and the job ends FAILED: something is left to clean up.

const COMPENSATION_TRIES = 3;

export async function rollBack(run: JobRun, opts: { cancelled: boolean; error?: string }): Promise<JobOutcome> {
  const steps = await loadSteps(run);
  const outputs: Record<string, Json> = {};
  for (const s of steps) if (s.state === "SUCCEEDED") outputs[s.key] = s.output as Json;
  const failures: string[] = [];
  for (const row of [...steps].reverse()) {
    if (row.state !== "SUCCEEDED") continue;
    if (run.guard.isStopping()) return abandon(run);
    const step = run.def.steps.find((s) => s.key === row.key);
    if (step?.compensate) {
      const error = await compensateWithRetries({ run, key: row.key, outputs, output: row.output as Json, compensate: step.compensate });
      if (run.guard.isLost()) return "LEASE_LOST";
      if (error !== undefined) {
        failures.push(`${row.key}: ${error}`);
        if (!(await recordCompensationError(run.ref, row.key, error))) return "LEASE_LOST";
        continue;
      }
    }
    if (!(await markStepCompensated(run.ref, row.key))) return "LEASE_LOST";
  }
  const job = await run.ref.prisma.job.findUniqueOrThrow({ where: { id: run.job.id }, select: { lastError: true } });
  const cause = opts.error ?? job.lastError ?? (opts.cancelled ? "cancelled" : "failed");
  if (failures.length > 0) {
    const ok = await finishJob(run.ref, "FAILED", `${cause}; rollback incomplete: ${failures.join("; ")}`);
    return ok ? "FAILED" : "LEASE_LOST";
  }
  const state = opts.cancelled ? "CANCELLED" : "ROLLED_BACK";
  return (await finishJob(run.ref, state, cause)) ? state : "LEASE_LOST";
}

type Compensate = NonNullable<JobRun["def"]["steps"][number]["compensate"]>;

async function compensateWithRetries(opts: {
  run: JobRun;
  key: string;
  outputs: Record<string, Json>;
  output: Json;
  compensate: Compensate;
}): Promise<string | undefined> {
  const { run, key, outputs, output, compensate } = opts;
  const signal = run.guard.rollbackSignal;
  for (let attempt = 1; ; attempt++) {
    try {
      await compensate({ ...stepContext({ run, key, outputs, signal }), output });
      return undefined;
    } catch (err) {
      await reportStepFailure(run, key, err);
      if (!isTransientError(err) || attempt >= COMPENSATION_TRIES || signal.aborted) return describeError(err, run.log);
      await sleep(Math.min(10_000, computeBackoffMs({ attempt, policy: run.def.retry })), signal);
    }
  }
}
