import { AppError, fromZod } from "../core/errors";
import type { JobDefinition } from "./define";
import type { DbClient } from "./db";
import type { JobRegistry } from "./job-registry";

export interface EnqueueJobOptions<P, I = P> {
  /** A client or a transaction client: enqueue together with the rows the job is about. */
  prisma: DbClient;
  /** The definition itself (typed payload), or its name looked up in `registry`. */
  kind: JobDefinition<P, I> | string;
  payload: I;
  registry?: JobRegistry;
  /** At most one job ever exists per key; enqueuing again returns the existing job. */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  teamId?: string;
  vmId?: string;
  clusterId?: string;
  hostId?: string;
}

export interface EnqueuedJob {
  jobId: string;
  /** false when a job with the same dedupeKey already existed. */
  created: boolean;
}

async function resolveDefinition<P, I>(kind: JobDefinition<P, I> | string, registry?: JobRegistry): Promise<JobDefinition<P, I>> {
  if (typeof kind !== "string") return kind;
  // The engine knows no application job: a name is looked up only in the registry it comes with.
  if (!registry) throw new AppError("BAD_REQUEST", `Job kind "${kind}" given by name without a registry to look it up in`);
  const found = registry.find(kind);
  if (!found) throw new AppError("BAD_REQUEST", `Unknown job kind "${kind}"`);
  return found as JobDefinition<P, I>;
}

export async function enqueueJob<P, I = P>(opts: EnqueueJobOptions<P, I>): Promise<EnqueuedJob> {
  const def = await resolveDefinition(opts.kind, opts.registry);
  // Validate what will be stored: the worker re-validates the same JSON when it runs the job.
  const stored = opts.payload === undefined ? undefined : JSON.parse(JSON.stringify(opts.payload));
  const parsed = def.payload.safeParse(stored);
  if (!parsed.success) throw fromZod(parsed.error, `Invalid payload for job ${def.name}`);
  const maxAttempts = opts.maxAttempts ?? def.retry.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new AppError("BAD_REQUEST", "maxAttempts must be a positive integer");

  const [job] = await opts.prisma.job.createManyAndReturn({
    data: [
      {
        kind: def.name,
        version: def.version,
        payload: stored,
        maxAttempts,
        runAt: opts.runAt,
        dedupeKey: opts.dedupeKey,
        teamId: opts.teamId,
        vmId: opts.vmId,
        clusterId: opts.clusterId,
        hostId: opts.hostId,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!job) {
    const existing = await opts.prisma.job.findUnique({ where: { dedupeKey: opts.dedupeKey! }, select: { id: true } });
    if (!existing) throw new AppError("CONFLICT", "The job could not be enqueued; try again", { key: "error.job.enqueueFailed" });
    return { jobId: existing.id, created: false };
  }
  await opts.prisma.jobStep.createMany({
    data: def.steps.map((s, seq) => ({ jobId: job.id, key: s.key, seq })),
    skipDuplicates: true,
  });
  return { jobId: job.id, created: true };
}
