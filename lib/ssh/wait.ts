import { AppError } from "../core/errors";
import type { SshPool } from "./pool";
import { targetLabel, type SshTarget } from "./target";

/**
 * Waits until the target really answers SSH (key exchange, pinned host key, login, a command run),
 * not just until its port is open. Connection failures are retried until `timeoutMs`; a host-key
 * problem stops at once, since waiting cannot fix it.
 */
export async function waitForSsh(opts: {
  pool: SshPool;
  target: SshTarget;
  timeoutMs: number;
  intervalMs?: number;
  step?: string;
}): Promise<{ attempts: number; elapsedMs: number }> {
  const step = opts.step ?? "wait for SSH";
  const started = Date.now();
  let attempts = 0;
  let last: unknown;
  while (Date.now() - started < opts.timeoutMs) {
    attempts++;
    try {
      await opts.pool.exec({ target: opts.target, argv: ["true"], step, timeoutMs: 15_000 });
      return { attempts, elapsedMs: Date.now() - started };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "HOST_UNREACHABLE") throw err;
      last = err;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
  }
  throw new AppError(
    "TIMEOUT",
    `${targetLabel(opts.target)}: ${step}: no SSH answer within ${Math.round(opts.timeoutMs / 1000)} s (last: ${(last as Error | undefined)?.message ?? "none"})`,
    {
      transient: true,
      cause: last,
    },
  );
}
