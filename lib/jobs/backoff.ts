import type { RetryPolicy } from "./define";

/**
 * Delay before the next attempt: exponential in the number of attempts made, capped, with "equal
 * jitter" (half fixed, half random) so that jobs failing together do not retry in lockstep.
 */
export function computeBackoffMs(opts: {
  attempt: number;
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">;
  random?: () => number;
}): number {
  const { attempt, policy } = opts;
  const random = opts.random ?? Math.random;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** How soon a job waiting out an outage tries again: never sooner than this, never later than `OUTAGE_RETRY_MAX_MS`. */
export const OUTAGE_RETRY_MIN_MS = 2_000;
export const OUTAGE_RETRY_MAX_MS = 60_000;

/**
 * Delay before the next try of a job that has waited `waitedMs` for something that is down: a quarter
 * of the time waited so far (so a short blip is retried within seconds and a long outage costs at most
 * a try a minute, and the job notices the return within about a quarter of the outage), with equal
 * jitter, and never past the end of the wait (`remainingMs`): the last try comes at the limit.
 */
export function computeOutageWaitMs(opts: { waitedMs: number; remainingMs: number; random?: () => number }): number {
  const random = opts.random ?? Math.random;
  const ceiling = Math.min(OUTAGE_RETRY_MAX_MS, Math.max(OUTAGE_RETRY_MIN_MS, opts.waitedMs / 4));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(250, Math.min(jittered, Math.ceil(opts.remainingMs)));
}
