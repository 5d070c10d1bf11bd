import { fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Json } from "./define";
import { decideAfterFailure, formatDuration } from "./decide-after-failure";
import { describeError, isTransientError } from "./errors";
import type { JobRegistry } from "./job-registry";
import {
  abandon,
  judgeOutage,
  loadSteps,
  reportStepFailure,
  stepContext,
  tellResumed,
  tellWaiting,
  toJson,
  whyRefused,
  type JobOutcome,
  type JobRun,
} from "./job-run";
import type { ClaimedJob } from "./lease";
import { startLeaseGuard } from "./lease-guard";
import { rollBack } from "./roll-back";
import { clearWaiting, commitStep, failStep, finishJob, retryJobLater, startStep, waitedFor } from "./step-writes";

export type { JobOutcome } from "./job-run";

export interface RunJobOptions {
  prisma: PrismaClient;
  registry: JobRegistry;
  claimed: ClaimedJob;
  leaseMs: number;
  /** The worker is stopping: steps see it on ctx.signal, and the job is handed back. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Runs (or resumes, or rolls back) one job this worker has claimed, until it ends or leaves our hands. */
export async function runJob(opts: RunJobOptions): Promise<JobOutcome> {
  const { prisma, claimed, leaseMs } = opts;
  const log = opts.log ?? ((line: string) => console.log(line));
  const ref = { prisma, jobId: claimed.id, lease: claimed.lease, leaseMs };
  const job = await prisma.job.findUnique({ where: { id: claimed.id } });
  if (!job || job.lockedBy !== claimed.lease) return "LEASE_LOST";

  const def = opts.registry.find(job.kind, job.version);
  if (!def) {
    return endForGood(ref, `No job definition "${job.kind}" version ${job.version} is registered on this worker`);
  }
  const parsed = def.payload.safeParse(job.payload);
  if (!parsed.success) return endForGood(ref, fromZod(parsed.error, `Invalid payload for job ${job.kind}`).message);
  await prisma.jobStep.createMany({
    data: def.steps.map((s, seq) => ({ jobId: job.id, key: s.key, seq })),
    skipDuplicates: true,
  });

  const guard = startLeaseGuard(ref, opts.signal);
  const run: JobRun = {
    ref,
    def,
    payload: parsed.data,
    job,
    guard,
    observers: opts.registry.stepFailureObservers(),
    outages: opts.registry.outagePolicy(),
    log,
  };
  try {
    if (job.state === "CANCELLED") return await rollBack(run, { cancelled: true });
    const steps = await loadSteps(run);
    if (steps.some((s) => s.state === "FAILED")) return await rollBack(run, { cancelled: false });
    if (job.attempts > job.maxAttempts) {
      // Only reclaims after a worker died get here: a job that keeps killing workers stops.
      const error = `${job.lastError ?? "the job's worker stopped"} (gave up after ${job.maxAttempts} attempts)`;
      return await rollBack(run, { cancelled: false, error });
    }
    return await runForward(run, steps);
  } finally {
    guard.stop();
  }
}

async function endForGood(ref: JobRun["ref"], error: string): Promise<JobOutcome> {
  return (await finishJob(ref, "FAILED", error)) ? "FAILED" : "LEASE_LOST";
}

async function runForward(run: JobRun, steps: Awaited<ReturnType<typeof loadSteps>>): Promise<JobOutcome> {
  const done = new Map(steps.filter((s) => s.state === "SUCCEEDED").map((s) => [s.key, s.output as Json]));
  const outputs: Record<string, Json> = {};
  for (const step of run.def.steps) {
    if (done.has(step.key)) {
      outputs[step.key] = done.get(step.key)!;
      continue;
    }
    if (run.guard.isStopping()) return abandon(run);
    if (!(await startStep(run.ref, step.key))) return afterRefusal(run);
    let output: Json;
    try {
      output = toJson(await step.run(stepContext({ run, key: step.key, outputs, signal: run.guard.stepSignal })));
    } catch (err) {
      return onStepError(run, step.key, err);
    }
    const state = await commitStep(run.ref, step.key, JSON.stringify(output));
    if (state === null) return "LEASE_LOST";
    outputs[step.key] = output;
    if (!(await endWait(run, step.key, { resumed: true }))) return "LEASE_LOST";
    if (state === "CANCELLED") return rollBack(run, { cancelled: true });
  }
  return (await finishJob(run.ref, "SUCCEEDED")) ? "SUCCEEDED" : afterRefusal(run);
}

async function afterRefusal(run: JobRun): Promise<JobOutcome> {
  return (await whyRefused(run)) === "CANCELLED" ? rollBack(run, { cancelled: true }) : "LEASE_LOST";
}

async function onStepError(run: JobRun, key: string, err: unknown): Promise<JobOutcome> {
  if (run.guard.isLost()) return "LEASE_LOST";
  if (run.guard.isStopping()) return abandon(run); // interrupted by shutdown: the step re-runs elsewhere
  if (run.guard.isCancelled()) {
    return (await failStep(run.ref, key, "cancelled while running")) ? rollBack(run, { cancelled: true }) : "LEASE_LOST";
  }
  await reportStepFailure(run, key, err);
  const message = describeError(err, run.log);
  const transient = isTransientError(err);
  const outage = transient ? await judgeOutage(run, key, err) : null;
  const waiting = outage && outage.limitMs > 0;
  if (!waiting && !(await endWait(run, key, { resumed: false }))) return "LEASE_LOST";
  const decision = decideAfterFailure({
    error: message,
    transient,
    attempts: run.job.attempts,
    maxAttempts: run.job.maxAttempts,
    retry: run.def.retry,
    outage,
    waitedMs: outage ? await waitedFor(run.ref, outage.key) : null,
  });
  const where = `[job ${run.job.kind} ${run.job.id}] ${key}:`;
  if (decision.action === "wait" && outage) {
    run.log(`${where} ${outage.subject} cannot be reached; waiting for it, next try in ${formatDuration(decision.delayMs)}: ${message}`);
    const queued = await retryJobLater({ ref: run.ref, key, error: message, delayMs: decision.delayMs, waitingFor: outage.key });
    if (!queued) return afterRefusal(run);
    if (decision.firstWait) await tellWaiting(run, key, outage);
    return "WAITING";
  }
  if (decision.action === "retry") {
    const { attempts, maxAttempts } = run.job;
    run.log(`${where} attempt ${attempts}/${maxAttempts} failed, retrying in ${decision.delayMs} ms: ${message}`);
    return (await retryJobLater({ ref: run.ref, key, error: message, delayMs: decision.delayMs })) ? "RETRYING" : afterRefusal(run);
  }
  const error = decision.action === "fail" ? decision.error : message;
  if (!(await failStep(run.ref, key, error))) return "LEASE_LOST";
  return rollBack(run, { cancelled: false, error });
}

/**
 * The job was waiting out an outage and that is over: the step succeeded (`resumed`: the outage
 * policy is told, once) or failed for another reason. False when the lease was lost.
 */
async function endWait(run: JobRun, key: string, opts: { resumed: boolean }): Promise<boolean> {
  const { waitingFor, waitingSince } = run.job;
  if (!waitingFor) return true;
  if (!(await clearWaiting(run.ref))) return false;
  run.job.waitingFor = null;
  run.job.waitingSince = null;
  if (opts.resumed) await tellResumed(run, key, { waitedFor: waitingFor, since: waitingSince ?? new Date() });
  return true;
}
