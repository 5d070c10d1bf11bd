import { AppError } from "../core/errors";
import type { JobState, StepState } from "../generated/prisma/enums";
import type { DbClient } from "./db";
import type { Json } from "./define";
import { sleep } from "./lease-guard";

// What a browser watching a job sees (Server-Sent Events): plain JSON, dates as ISO strings. Step
// outputs are left out unless asked for; steps should not return secrets in any case.

export interface JobStepSnapshot {
  key: string;
  seq: number;
  state: StepState;
  attempts: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  output?: Json;
}

export interface JobSnapshot {
  id: string;
  kind: string;
  state: JobState;
  /** True once nothing more will happen to the job (including its rollback). */
  done: boolean;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  teamId: string | null;
  vmId: string | null;
  clusterId: string | null;
  hostId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: JobStepSnapshot[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getJobSnapshot(opts: { prisma: DbClient; jobId: string; includeOutputs?: boolean }): Promise<JobSnapshot | null> {
  const job = await opts.prisma.job.findUnique({
    where: { id: opts.jobId },
    include: { steps: { orderBy: { seq: "asc" } } },
  });
  if (!job) return null;
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    done: job.finishedAt !== null,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt.toISOString(),
    lastError: job.lastError,
    teamId: job.teamId,
    vmId: job.vmId,
    clusterId: job.clusterId,
    hostId: job.hostId,
    createdAt: job.createdAt.toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    steps: job.steps.map((s) => ({
      key: s.key,
      seq: s.seq,
      state: s.state,
      attempts: s.attempts,
      error: s.error,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      ...(opts.includeOutputs ? { output: (s.output ?? null) as Json } : {}),
    })),
  };
}

export interface WatchJobOptions {
  prisma: DbClient;
  jobId: string;
  signal?: AbortSignal;
  /** How often the database is read; changes in between are coalesced into one snapshot. */
  intervalMs?: number;
  includeOutputs?: boolean;
}

/**
 * Yields the job with its steps now and after every change, and ends after the snapshot in which the
 * job is done (or when `signal` aborts). Polling works across replicas and database kinds.
 */
export async function* watchJob(opts: WatchJobOptions): AsyncGenerator<JobSnapshot, void, undefined> {
  const interval = opts.intervalMs ?? 250;
  let last = "";
  while (!opts.signal?.aborted) {
    const snapshot = await getJobSnapshot(opts);
    if (!snapshot) throw new AppError("NOT_FOUND", "Job not found", { key: "error.job.notFound" });
    const fingerprint = JSON.stringify(snapshot);
    if (fingerprint !== last) {
      last = fingerprint;
      yield snapshot;
    }
    if (snapshot.done) return;
    await sleep(interval, opts.signal);
  }
}
