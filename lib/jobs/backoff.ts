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
