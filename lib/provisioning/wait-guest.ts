import { AppError } from "../core/errors";
import type { SshPool } from "../ssh/pool";
import type { SshTarget } from "../ssh/target";
import { waitForSsh } from "../ssh/wait";

/**
 * Waits until the guest really answers SSH (pinned host key, login, a command), in short rounds so
 * that a cancel or a stopping worker ends the wait at once instead of after the whole timeout.
 */
export async function waitForGuestSsh(opts: { pool: SshPool; target: SshTarget; timeoutMs: number; signal: AbortSignal }): Promise<{ attempts: number; elapsedMs: number }> {
  const started = Date.now();
  let attempts = 0;
  let last: unknown;
  while (Date.now() - started < opts.timeoutMs) {
    if (opts.signal.aborted) throw new AppError("CONFLICT", "Stopped waiting for SSH: the job was cancelled or handed over", { transient: true });
    try {
      const r = await waitForSsh({ pool: opts.pool, target: opts.target, timeoutMs: 10_000, intervalMs: 1_000, step: "wait for the guest's SSH" });
      return { attempts: attempts + r.attempts, elapsedMs: Date.now() - started };
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== "TIMEOUT" && err.code !== "HOST_UNREACHABLE")) throw err;
      attempts++;
      last = err;
    }
  }
  throw new AppError("TIMEOUT", `${opts.target.label ?? "guest"}: no SSH answer within ${Math.round(opts.timeoutMs / 1000)} s (last: ${(last as Error | undefined)?.message ?? "none"})`, {
    transient: true,
  });
}
