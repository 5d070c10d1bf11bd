import type { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client";

// A job is a named, versioned list of steps over a zod-validated payload. Each step is checkpointed:
// its JSON output is stored when it succeeds, so a resumed job skips it and later steps read it from
// `ctx.outputs`. A step must be safe to re-run (check before create): the step that was running when
// a worker died runs again.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface StepContext<P> {
  /** The job's payload, validated against the definition's schema before the job ran. */
  payload: P;
  /** Outputs of the steps that already succeeded, by step key (earlier steps only). */
  outputs: Readonly<Record<string, Json>>;
  /** The job's database client (not a transaction). */
  prisma: PrismaClient;
  job: { id: string; kind: string; attempt: number; maxAttempts: number };
  /** Aborted when this worker loses the job's lease, the job is cancelled or the worker stops. */
  signal: AbortSignal;
  /** Progress line for the operator log; never pass secrets. */
  log(message: string): void;
}

interface CompensationContext<P> extends StepContext<P> {
  /** What this step returned when it succeeded. */
  output: Json;
}

export interface StepDefinition<P> {
  key: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: a step with no output is written as returning nothing
  run(ctx: StepContext<P>): Promise<Json | void> | Json | void;
  /** Undoes the step after a later step failed for good (or the job was cancelled). Must be idempotent. */
  compensate?(ctx: CompensationContext<P>): Promise<void> | void;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** P: the payload steps see (schema output); I: what enqueueJob accepts (schema input, defaults optional). */
export interface JobDefinition<P = unknown, I = P> {
  name: string;
  version: number;
  payload: z.ZodType<P, I>;
  steps: readonly StepDefinition<P>[];
  retry: RetryPolicy;
}

export interface DefineJobOptions<S extends z.ZodType> {
  name: string;
  version?: number;
  payload: S;
  steps: readonly StepDefinition<z.output<S>>[];
  retry?: Partial<RetryPolicy>;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

const NAME = /^[a-z][a-z0-9]*(?:[.:_-][a-z0-9]+)*$/;

export function defineJob<S extends z.ZodType>(opts: DefineJobOptions<S>): JobDefinition<z.output<S>, z.input<S>> {
  if (!NAME.test(opts.name)) throw new Error(`job name "${opts.name}" must be lower-case words joined by . : _ or -`);
  if (opts.steps.length === 0) throw new Error(`job ${opts.name} has no steps`);
  const keys = new Set<string>();
  for (const step of opts.steps) {
    if (!NAME.test(step.key)) throw new Error(`job ${opts.name}: step key "${step.key}" is not a plain name`);
    if (keys.has(step.key)) throw new Error(`job ${opts.name}: step key "${step.key}" is used twice`);
    keys.add(step.key);
  }
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  if (!(retry.maxAttempts >= 1) || !(retry.baseDelayMs >= 0) || !(retry.maxDelayMs >= retry.baseDelayMs)) {
    throw new Error(`job ${opts.name}: retry policy is inconsistent`);
  }
  return {
    name: opts.name,
    version: opts.version ?? 1,
    payload: opts.payload as unknown as z.ZodType<z.output<S>, z.input<S>>,
    steps: opts.steps,
    retry,
  };
}
