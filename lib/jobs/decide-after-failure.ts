import { computeBackoffMs, computeOutageWaitMs } from "./backoff";
import type { RetryPolicy } from "./define";

// What the engine does after a step failed: wait out an outage, retry with backoff, or give up (and
// roll back). Pure, so every branch is tested without a database.

/** What a failure says is down for now (a host being restarted), as the registry's outage policy judges it. */
export interface Outage {
  /** Stable across attempts: the same outage is waited out once (a host's id). */
  key: string;
  /** Named for people: "osl-kvm-01". */
  subject: string;
  /** Since when it is known to be down (the host's first failed contact). */
  since: Date;
  /** How long a job waits for it, counted from the job's first failure on it; 0 waits not at all. */
  limitMs: number;
}

export type RetryDecision =
  /** Back in the queue without spending an attempt; `firstWait` once per outage (tell the user then). */
  { action: "wait"; delayMs: number; firstWait: boolean } | { action: "retry"; delayMs: number } | { action: "fail"; error: string };

export interface DecideAfterFailureOptions {
  /** The failure as users read it. */
  error: string;
  transient: boolean;
  /** Attempts made, this one included. */
  attempts: number;
  maxAttempts: number;
  retry: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">;
  outage: Outage | null;
  /** How long the job has already waited for this same outage; null when it was not waiting for it. */
  waitedMs: number | null;
  random?: () => number;
}

export function decideAfterFailure(opts: DecideAfterFailureOptions): RetryDecision {
  const { error, transient, attempts, maxAttempts, outage } = opts;
  if (!transient) return { action: "fail", error };
  if (outage && outage.limitMs > 0) {
    const waitedMs = Math.max(0, opts.waitedMs ?? 0);
    if (waitedMs < outage.limitMs) {
      const delayMs = computeOutageWaitMs({ waitedMs, remainingMs: outage.limitMs - waitedMs, random: opts.random });
      return { action: "wait", delayMs, firstWait: opts.waitedMs === null };
    }
    return {
      action: "fail",
      error: `${error} (waited ${formatDuration(waitedMs)} for ${outage.subject} to answer again; the limit is ${formatDuration(outage.limitMs)})`,
    };
  }
  if (attempts < maxAttempts)
    return { action: "retry", delayMs: computeBackoffMs({ attempt: attempts, policy: opts.retry, random: opts.random }) };
  return { action: "fail", error: `${error} (gave up after ${attempts} attempts)` };
}

/** 45 s, 3 min, 2 min 30 s, 1 h 5 min: what an operator reads in an error. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
