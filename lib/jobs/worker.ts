import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { PrismaClient } from "../generated/prisma/client";
import type { JobRegistry } from "./job-registry";
import { claimJobs, releaseLease, type ClaimedJob } from "./lease";
import { sleep } from "./lease-guard";
import { runJob, type JobOutcome } from "./run-job";
import { runSchedules, type ScheduledTask } from "./schedules";

export interface StartWorkerOptions {
  prisma: PrismaClient;
  registry: JobRegistry;
  /** Unique per process; the default is host:pid:random. */
  workerId?: string;
  /** Jobs run at the same time by this worker (default 2). */
  concurrency?: number;
  /** Wait between polls when there is no work (default 1000 ms, ±20 % jitter). */
  pollMs?: number;
  /** A claimed job is this worker's for leaseMs, renewed every leaseMs/3 (default 30 s). */
  leaseMs?: number;
  /** Time given to running jobs on stop() before they are handed back (default 20 s). */
  shutdownGraceMs?: number;
  schedules?: readonly ScheduledTask[];
  scheduleTickMs?: number;
  /** Aborting it is the same as calling stop(). */
  signal?: AbortSignal;
  log?: (line: string) => void;
  onJobDone?: (jobId: string, outcome: JobOutcome) => void;
}

export interface WorkerHandle {
  workerId: string;
  /** Stops claiming, waits for running jobs up to the grace period, then hands the rest back. */
  stop(opts?: { graceMs?: number }): Promise<void>;
  /** Polls now instead of waiting for the next poll (e.g. right after enqueueing in this process). */
  wake(): void;
  stats(): { running: number; finished: Partial<Record<JobOutcome, number>> };
}

/** Waits for `done` or `ms`, whichever comes first, without leaving a timer behind. */
async function settle(done: Promise<unknown>, ms: number): Promise<void> {
  const over = new AbortController();
  await Promise.race([done, sleep(ms, over.signal)]);
  over.abort();
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export function startWorker(opts: StartWorkerOptions): WorkerHandle {
  const { prisma, registry } = opts;
  const workerId = opts.workerId ?? defaultWorkerId();
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const pollMs = opts.pollMs ?? 1_000;
  const leaseMs = opts.leaseMs ?? 30_000;
  const log = opts.log ?? ((line: string) => console.log(line));
  const stopping = new AbortController(); // no more claims
  const handBack = new AbortController(); // grace is over: running jobs are handed back
  const running = new Map<string, { claimed: ClaimedJob; done: Promise<void> }>();
  const finished: Partial<Record<JobOutcome, number>> = {};
  let wakeUp = new AbortController();
  const wake = () => wakeUp.abort();

  const launch = (claimed: ClaimedJob) => {
    const done = runJob({ prisma, registry, claimed, leaseMs, signal: handBack.signal, log })
      .then((outcome) => {
        finished[outcome] = (finished[outcome] ?? 0) + 1;
        opts.onJobDone?.(claimed.id, outcome);
      })
      .catch((err) => log(`[worker ${workerId}] job ${claimed.id} stopped on an internal error: ${(err as Error).stack ?? String(err)}`))
      .finally(() => {
        running.delete(claimed.id);
        wake();
      });
    running.set(claimed.id, { claimed, done });
  };

  const claimLoop = (async () => {
    const kinds = registry.kinds();
    while (!stopping.signal.aborted) {
      wakeUp = new AbortController();
      const free = concurrency - running.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await claimJobs({ prisma, workerId, kinds, limit: free, leaseMs });
        } catch (err) {
          log(`[worker ${workerId}] claiming failed, retrying: ${(err as Error).message}`);
        }
        for (const c of claimed) launch(c);
      }
      if (free > 0 && claimed.length === free) continue; // there may be more due right now
      const waitFor = AbortSignal.any([wakeUp.signal, stopping.signal]);
      await sleep(free > 0 ? pollMs * (0.8 + Math.random() * 0.4) : 60_000, waitFor);
    }
  })();

  const scheduleLoop = (async () => {
    if (!opts.schedules?.length) return;
    const tickMs = opts.scheduleTickMs ?? 1_000;
    while (!stopping.signal.aborted) {
      try {
        await runSchedules({ prisma, workerId, tasks: opts.schedules, signal: stopping.signal, log });
      } catch (err) {
        log(`[worker ${workerId}] schedules failed, retrying: ${(err as Error).message}`);
      }
      await sleep(tickMs * (0.8 + Math.random() * 0.4), stopping.signal);
    }
  })();

  let stopped: Promise<void> | undefined;
  const stop = (stopOpts: { graceMs?: number } = {}) => {
    stopped ??= (async () => {
      stopping.abort();
      await Promise.all([claimLoop, scheduleLoop]);
      const graceMs = stopOpts.graceMs ?? opts.shutdownGraceMs ?? 20_000;
      const allDone = Promise.all([...running.values()].map((r) => r.done));
      await settle(allDone, graceMs);
      if (running.size > 0) {
        handBack.abort(); // steps see ctx.signal abort; the runner hands their jobs back
        await settle(allDone, 1_000);
      }
      if (running.size > 0) {
        // A step that ignores its signal may still be running: give its job back now; its later
        // writes are fenced out once another worker claims it.
        await Promise.all(
          [...running.values()].map((r) => releaseLease({ prisma, jobId: r.claimed.id, lease: r.claimed.lease }).catch(() => false)),
        );
        log(`[worker ${workerId}] handed back ${running.size} running job(s)`);
      }
    })();
    return stopped;
  };
  opts.signal?.addEventListener("abort", () => void stop(), { once: true });
  if (opts.signal?.aborted) void stop();

  return { workerId, stop, wake, stats: () => ({ running: running.size, finished: { ...finished } }) };
}
