import { randomUUID } from "node:crypto";
import { AppError } from "../core/errors";

// How a step tells the engine what kind of failure it hit: `new AppError(code, message, { transient:
// true })` is worth retrying with backoff (host unreachable, timeout, something busy). Anything not
// marked transient is permanent: the job stops retrying and rolls back.

/** Thrown by the engine when this worker no longer holds the job's lease: its work is discarded. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease on job ${jobId} was lost; another worker owns it now`);
    this.name = "LeaseLostError";
  }
}

export function isTransientError(err: unknown): boolean {
  if (err instanceof AppError) return err.transient;
  return typeof err === "object" && err !== null && (err as { transient?: unknown }).transient === true;
}

/**
 * The text stored on the job and shown to users. AppError messages are written for
 * users; anything else may carry internals, so it is logged with a correlation id and only the id is kept.
 */
export function describeError(err: unknown, log: (line: string) => void = console.error): string {
  if (err instanceof AppError) return err.message.slice(0, 2_000);
  const correlationId = randomUUID();
  log(`[jobs] unexpected error ${correlationId}: ${err instanceof Error ? err.stack : String(err)}`);
  return `Unexpected error; quote this id to your operator: ${correlationId}`;
}
