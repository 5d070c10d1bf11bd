import { randomBytes } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import type { JobState } from "../generated/prisma/enums";
import { inMs, NOW, type DbClient } from "./db";

// Every write a worker makes to a job it runs goes through the job's row with `lockedBy = lease` in
// the same statement. The UPDATE takes the row lock and PostgreSQL re-checks the condition against
// the latest committed row, so a worker whose lease was taken over changes nothing (fencing).

export interface ClaimedJob {
  id: string;
  lease: string;
}

export interface ClaimJobsOptions {
  prisma: DbClient;
  workerId: string;
  kinds: string[];
  limit?: number;
  leaseMs: number;
}

/** Claims due jobs, jobs whose worker's lease expired, and cancelled jobs still to be rolled back. */
export async function claimJobs(opts: ClaimJobsOptions): Promise<ClaimedJob[]> {
  const { prisma, kinds, leaseMs } = opts;
  if (kinds.length === 0) return [];
  const lease = `${opts.workerId}#${randomBytes(4).toString("hex")}`;
  const limit = opts.limit ?? 1;
  // One leg per kind of claimable job, each an ordered index scan on (state, runAt) that stops after
  // `limit` rows it could lock: the cost does not grow with the length of the queue.
  return prisma.$queryRaw<ClaimedJob[]>`
    WITH queued AS (
      SELECT id, "runAt" FROM "Job" WHERE state = 'QUEUED' AND "runAt" <= ${NOW} AND kind = ANY(${kinds}::text[])
      ORDER BY "runAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), expired AS (
      SELECT id, "runAt" FROM "Job" WHERE state = 'RUNNING' AND "lockedUntil" < ${NOW} AND kind = ANY(${kinds}::text[])
      ORDER BY "runAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), cancelled AS (
      SELECT id, "runAt" FROM "Job" WHERE state = 'CANCELLED' AND "finishedAt" IS NULL
        AND ("lockedUntil" IS NULL OR "lockedUntil" < ${NOW}) AND kind = ANY(${kinds}::text[])
      ORDER BY "runAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), next AS (
      SELECT id FROM (SELECT * FROM expired UNION ALL SELECT * FROM cancelled UNION ALL SELECT * FROM queued) due
      ORDER BY "runAt" LIMIT ${limit}
    )
    UPDATE "Job" AS j SET
      state = CASE WHEN j.state = 'QUEUED' THEN 'RUNNING'::"JobState" ELSE j.state END,
      attempts = CASE WHEN j.state = 'CANCELLED' THEN j.attempts ELSE j.attempts + 1 END,
      "lockedBy" = ${lease}, "lockedUntil" = ${NOW} + ${inMs(leaseMs)},
      "startedAt" = COALESCE(j."startedAt", ${NOW})
    FROM next WHERE j.id = next.id
    RETURNING j.id::text AS id, j."lockedBy" AS lease`;
}

export interface LeaseRef {
  prisma: DbClient;
  jobId: string;
  lease: string;
  leaseMs: number;
}

/** Extends the lease; returns the job's state, or null when this worker no longer holds it. */
export async function renewLease(ref: LeaseRef): Promise<JobState | null> {
  const rows = await ref.prisma.$queryRaw<{ state: JobState }[]>`
    UPDATE "Job" SET "lockedUntil" = ${NOW} + ${inMs(ref.leaseMs)}
    WHERE id = ${ref.jobId}::uuid AND "lockedBy" = ${ref.lease} AND "finishedAt" IS NULL
    RETURNING state::text AS state`;
  return rows[0]?.state ?? null;
}

/** Gives the job up at once (worker stopping) so another worker resumes it without waiting. */
export async function releaseLease(ref: Omit<LeaseRef, "leaseMs">): Promise<boolean> {
  const n = await ref.prisma.$executeRaw`
    UPDATE "Job" SET "lockedUntil" = ${NOW} - interval '1 second'
    WHERE id = ${ref.jobId}::uuid AND "lockedBy" = ${ref.lease} AND "finishedAt" IS NULL`;
  return n > 0;
}

/** The fence shared by every step write: holds the job row and extends the lease, or matches nothing. */
export function fence(ref: LeaseRef, opts: { requireRunning: boolean; lastError?: string }): Prisma.Sql {
  const running = opts.requireRunning ? Prisma.sql`AND state = 'RUNNING'` : Prisma.empty;
  const error = opts.lastError === undefined ? Prisma.empty : Prisma.sql`, "lastError" = ${opts.lastError}`;
  return Prisma.sql`
    UPDATE "Job" SET "lockedUntil" = ${NOW} + ${inMs(ref.leaseMs)} ${error}
    WHERE id = ${ref.jobId}::uuid AND "lockedBy" = ${ref.lease} AND "finishedAt" IS NULL ${running}
    RETURNING id, state`;
}
