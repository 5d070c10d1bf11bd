import { Prisma } from "../generated/prisma/client";
import type { JobState } from "../generated/prisma/enums";
import { inMs, NOW } from "./db";
import { fence, type LeaseRef } from "./lease";

// The checkpoint writes of a running job. Each is one statement fenced on the lease (see lease.ts):
// `false`/`null` means this worker no longer owns the job, or (for starting a step) it was cancelled.

type FencedResult = { state: JobState }[];

/** `requireRunning`: refuse when the job is no longer RUNNING (cancelled); `lastError` goes on the job too. */
async function stepWrite(opts: {
  ref: LeaseRef;
  key: string;
  set: Prisma.Sql;
  requireRunning?: boolean;
  lastError?: string;
}): Promise<JobState | null> {
  const { ref, key, set, requireRunning = false, lastError } = opts;
  const rows = await ref.prisma.$queryRaw<FencedResult>`
    WITH fence AS (${fence(ref, { requireRunning, lastError })})
    UPDATE "JobStep" AS s SET ${set}
    FROM fence WHERE s."jobId" = fence.id AND s.key = ${key}
    RETURNING fence.state::text AS state`;
  return rows[0]?.state ?? null;
}

/** Marks a step RUNNING before it runs; refuses when the job was cancelled. */
export async function startStep(ref: LeaseRef, key: string): Promise<boolean> {
  const set = Prisma.sql`state = 'RUNNING', attempts = s.attempts + 1, "startedAt" = ${NOW}, "finishedAt" = NULL, error = NULL`;
  return (await stepWrite({ ref, key, set, requireRunning: true })) !== null;
}

/** Checkpoints a step's output; returns the job's state (CANCELLED means: roll back now). */
export async function commitStep(ref: LeaseRef, key: string, outputJson: string): Promise<JobState | null> {
  const set = Prisma.sql`state = 'SUCCEEDED', output = ${outputJson}::jsonb, "finishedAt" = ${NOW}, error = NULL`;
  return stepWrite({ ref, key, set });
}

/** Records a permanent step failure; the job then rolls back. */
export async function failStep(ref: LeaseRef, key: string, error: string): Promise<boolean> {
  const set = Prisma.sql`state = 'FAILED', error = ${error}, "finishedAt" = ${NOW}`;
  return (await stepWrite({ ref, key, set, lastError: error })) !== null;
}

export async function markStepCompensated(ref: LeaseRef, key: string): Promise<boolean> {
  return (await stepWrite({ ref, key, set: Prisma.sql`state = 'COMPENSATED', "finishedAt" = ${NOW}` })) !== null;
}

/** Keeps the step SUCCEEDED (its effect is still there) and says why undoing it failed. */
export async function recordCompensationError(ref: LeaseRef, key: string, error: string): Promise<boolean> {
  return (await stepWrite({ ref, key, set: Prisma.sql`error = ${`rollback failed: ${error}`}` })) !== null;
}

/**
 * Puts the job back in the queue after a transient failure; the failed step waits as PENDING. With
 * `waitingFor` the job is waiting out that outage: the attempt is given back, and `waitingSince` keeps
 * the start of the wait (the first failure on the same outage). Without it, any wait is over.
 */
export async function retryJobLater(opts: {
  ref: LeaseRef;
  key: string;
  error: string;
  delayMs: number;
  waitingFor?: string;
}): Promise<boolean> {
  const { ref, key, error, delayMs, waitingFor } = opts;
  const waiting =
    waitingFor === undefined
      ? Prisma.sql`"waitingFor" = NULL, "waitingSince" = NULL`
      : Prisma.sql`"waitingFor" = ${waitingFor},
          "waitingSince" = CASE WHEN "waitingFor" = ${waitingFor} AND "waitingSince" IS NOT NULL THEN "waitingSince" ELSE ${NOW} END,
          attempts = GREATEST(attempts - 1, 0)`;
  const rows = await ref.prisma.$queryRaw<{ id: string }[]>`
    WITH job AS (
      UPDATE "Job" SET state = 'QUEUED', "runAt" = ${NOW} + ${inMs(delayMs)}, "lockedBy" = NULL,
        "lockedUntil" = NULL, "lastError" = ${error}, ${waiting}
      WHERE id = ${ref.jobId}::uuid AND "lockedBy" = ${ref.lease} AND state = 'RUNNING'
      RETURNING id
    )
    UPDATE "JobStep" AS s SET state = 'PENDING', error = ${error}, "finishedAt" = ${NOW}
    FROM job WHERE s."jobId" = job.id AND s.key = ${key}
    RETURNING s.id::text AS id`;
  return rows.length > 0;
}

/** How long (database clock) the job has been waiting out the outage `key`; null when it was not waiting for it. */
export async function waitedFor(ref: LeaseRef, key: string): Promise<number | null> {
  const rows = await ref.prisma.$queryRaw<{ waited: number | null }[]>`
    SELECT (extract(epoch FROM (${NOW} - "waitingSince")) * 1000)::float8 AS waited
    FROM "Job" WHERE id = ${ref.jobId}::uuid AND "waitingFor" = ${key}`;
  const waited = rows[0]?.waited;
  return waited === null || waited === undefined ? null : Number(waited);
}

/** The wait is over (the job got past the step that waited); false when this worker no longer holds the job. */
export async function clearWaiting(ref: LeaseRef): Promise<boolean> {
  const n = await ref.prisma.$executeRaw`
    UPDATE "Job" SET "waitingFor" = NULL, "waitingSince" = NULL, "lockedUntil" = ${NOW} + ${inMs(ref.leaseMs)}
    WHERE id = ${ref.jobId}::uuid AND "lockedBy" = ${ref.lease} AND "finishedAt" IS NULL`;
  return n > 0;
}

/**
 * Ends the job and frees it; a step left RUNNING (interrupted by cancel or failure) becomes FAILED.
 * A job that succeeds has no last error: one from an attempt that was retried (ECONNREFUSED while its
 * host restarted) must not read as the outcome. The operator log keeps every attempt's error.
 */
export async function finishJob(ref: Omit<LeaseRef, "leaseMs">, state: JobState, lastError?: string): Promise<boolean> {
  // Success only from RUNNING: a cancel that lands after the last step still rolls the job back.
  const running = state === "SUCCEEDED" ? Prisma.sql`AND state = 'RUNNING'` : Prisma.empty;
  const error = state === "SUCCEEDED" ? Prisma.sql`NULL` : Prisma.sql`COALESCE(${lastError ?? null}::text, "lastError")`;
  const rows = await ref.prisma.$queryRaw<{ id: string }[]>`
    WITH job AS (
      UPDATE "Job" SET state = ${state}::"JobState", "finishedAt" = ${NOW}, "lockedBy" = NULL, "lockedUntil" = NULL,
        "lastError" = ${error}, "waitingFor" = NULL, "waitingSince" = NULL
      WHERE id = ${ref.jobId}::uuid AND "lockedBy" = ${ref.lease} AND "finishedAt" IS NULL ${running}
      RETURNING id
    ), interrupted AS (
      UPDATE "JobStep" AS s SET state = 'FAILED', error = COALESCE(s.error, 'interrupted'), "finishedAt" = ${NOW}
      FROM job WHERE s."jobId" = job.id AND s.state = 'RUNNING'
    )
    SELECT id::text AS id FROM job`;
  return rows.length > 0;
}
