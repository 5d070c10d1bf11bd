import type { PrismaClient } from "../generated/prisma/client";
import type { Outage } from "./decide-after-failure";
import type { JobDefinition, Json, StepContext } from "./define";
import { releaseLease, type LeaseRef } from "./lease";
import type { OutageJobRef, OutagePolicy, StepFailureObserver } from "./job-registry";
import type { LeaseGuard } from "./lease-guard";

// What one worker knows while it runs one claimed job; shared by the forward and rollback phases.

export type JobOutcome =
  | "SUCCEEDED"
  | "RETRYING" // transient failure: back in the queue with a backoff
  | "WAITING" // an outage (its host is down): back in the queue without spending an attempt
  | "ROLLED_BACK"
  | "FAILED"
  | "CANCELLED"
  | "LEASE_LOST" // another worker owns the job now; nothing of ours was committed after that
  | "ABANDONED"; // the worker is stopping: the lease was released for another worker to resume

export interface JobRun {
  ref: LeaseRef & { prisma: PrismaClient };
  def: JobDefinition<unknown>;
  payload: unknown;
  job: OutageJobRef & { attempts: number; maxAttempts: number; waitingFor: string | null; waitingSince: Date | null };
  guard: LeaseGuard;
  observers: readonly StepFailureObserver[];
  outages?: OutagePolicy;
  log(line: string): void;
}

function logHookFailure(run: JobRun, key: string, what: string, err: unknown): void {
  run.log(`[job ${run.job.kind} ${run.job.id}] ${key}: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
}

/** The registry's outage policy's word on a transient failure; null without a policy or when it fails. */
export async function judgeOutage(run: JobRun, key: string, error: unknown): Promise<Outage | null> {
  if (!run.outages) return null;
  try {
    return await run.outages.judge({ prisma: run.ref.prisma, job: run.job, step: key, error });
  } catch (err) {
    logHookFailure(run, key, "the outage policy's judge", err);
    return null;
  }
}

/** Tells the outage policy that the job begins to wait out `outage`. */
export async function tellWaiting(run: JobRun, key: string, outage: Outage): Promise<void> {
  try {
    await run.outages?.waiting?.({ prisma: run.ref.prisma, job: run.job, step: key, outage });
  } catch (err) {
    logHookFailure(run, key, "telling that the job waits", err);
  }
}

/** Tells the outage policy that the job, having waited, got past `key`. */
export async function tellResumed(run: JobRun, key: string, waited: { waitedFor: string; since: Date }): Promise<void> {
  try {
    await run.outages?.resumed?.({ prisma: run.ref.prisma, job: run.job, step: key, ...waited });
  } catch (err) {
    logHookFailure(run, key, "telling that the job resumed", err);
  }
}

/** Tells the registry's observers that `key` (a step or its compensation) failed with `error`. */
export async function reportStepFailure(run: JobRun, key: string, error: unknown): Promise<void> {
  for (const observe of run.observers) {
    try {
      await observe({ prisma: run.ref.prisma, job: { id: run.job.id, kind: run.job.kind }, step: key, error });
    } catch (err) {
      run.log(
        `[job ${run.job.kind} ${run.job.id}] ${key}: a step-failure observer failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** What a step (or a compensation) of `run` gets: the outputs so far, and `signal` to stop on. */
export function stepContext(opts: { run: JobRun; key: string; outputs: Record<string, Json>; signal: AbortSignal }): StepContext<unknown> {
  const { run, key, outputs, signal } = opts;
  return {
    payload: run.payload,
    outputs: { ...outputs },
    prisma: run.ref.prisma,
    job: { id: run.job.id, kind: run.job.kind, attempt: run.job.attempts, maxAttempts: run.job.maxAttempts },
    signal,
    log: (message) => run.log(`[job ${run.job.kind} ${run.job.id}] ${key}: ${message}`),
  };
}

export async function loadSteps(run: JobRun) {
  return run.ref.prisma.jobStep.findMany({ where: { jobId: run.job.id }, orderBy: { seq: "asc" } });
}

export async function abandon(run: JobRun): Promise<JobOutcome> {
  await releaseLease(run.ref).catch(() => undefined);
  return "ABANDONED";
}

/** A fenced write was refused: either the job was cancelled under us (roll back) or we lost it. */
export async function whyRefused(run: JobRun): Promise<"CANCELLED" | "LEASE_LOST"> {
  const job = await run.ref.prisma.job.findUnique({ where: { id: run.job.id }, select: { state: true, lockedBy: true, finishedAt: true } });
  if (job && job.lockedBy === run.ref.lease && job.state === "CANCELLED" && !job.finishedAt) return "CANCELLED";
  return "LEASE_LOST";
}

/** Step outputs are stored as JSON: what a resumed job reads must equal what this run passes on. */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}
