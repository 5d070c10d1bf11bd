import { AppError } from "../core/errors";
import { LeaseLostError } from "./errors";
import { renewLease, type LeaseRef } from "./lease";

// Renews a running job's lease in the background (every third of the lease) and turns what it learns
// into signals: the lease was lost, the job was cancelled, or the worker is stopping.

export interface LeaseGuard {
  /** For steps: aborted on lease loss, cancellation or worker stop. */
  stepSignal: AbortSignal;
  /** For compensations: aborted on lease loss or worker stop (a cancel must not stop its own rollback). */
  rollbackSignal: AbortSignal;
  isLost(): boolean;
  isCancelled(): boolean;
  isStopping(): boolean;
  stop(): void;
}

export function startLeaseGuard(ref: LeaseRef, stopSignal?: AbortSignal): LeaseGuard {
  const lost = new AbortController();
  const cancelled = new AbortController();
  let busy = false;
  const timer = setInterval(
    async () => {
      if (busy || lost.signal.aborted) return;
      busy = true;
      try {
        const state = await renewLease(ref);
        if (state === null) lost.abort(new LeaseLostError(ref.jobId));
        else if (state === "CANCELLED" && !cancelled.signal.aborted) {
          cancelled.abort(new AppError("CONFLICT", "The job was cancelled", { key: "error.job.cancelled" }));
        }
      } catch {
        // A database blip: keep trying; if it lasts past the lease, another worker takes over and our
        // fenced writes are refused.
      } finally {
        busy = false;
      }
    },
    Math.max(50, Math.floor(ref.leaseMs / 3)),
  );
  timer.unref?.();
  const stop = stopSignal ?? new AbortController().signal;
  const rollbackSignal = AbortSignal.any([lost.signal, stop]);
  return {
    stepSignal: AbortSignal.any([rollbackSignal, cancelled.signal]),
    rollbackSignal,
    isLost: () => lost.signal.aborted,
    isCancelled: () => cancelled.signal.aborted,
    isStopping: () => stop.aborted,
    stop: () => clearInterval(timer),
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
