// A standalone job worker: `npx tsx scripts/worker.ts` (or `npm run worker`). Uses the same database
// as the portal (DATABASE_URL, or the embedded one in SKJOLD_DATA_DIR: then run it instead of the
// portal's inline worker, not beside it, since PGlite is single-process). Stops cleanly on SIGTERM or
// SIGINT: no new claims, running jobs get SKJOLD_WORKER_GRACE_MS to finish, the rest are handed back.
import { z } from "zod";
import { getDatabase } from "@/lib/db";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { jobRegistry, listSchedules } from "@/lib/runtime/registry";
import { defaultWorkerId, startWorker } from "@/lib/jobs/worker";

const WorkerEnvSchema = z.object({
  SKJOLD_WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/)
    .optional(),
  SKJOLD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SKJOLD_WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  SKJOLD_WORKER_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  SKJOLD_WORKER_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
});

async function main(): Promise<void> {
  const cfg = WorkerEnvSchema.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
  const db = await getDatabase();
  const workerId = cfg.SKJOLD_WORKER_ID ?? defaultWorkerId();
  const controller = new AbortController();
  const worker = startWorker({
    prisma: db.prisma,
    registry: jobRegistry,
    workerId,
    concurrency: cfg.SKJOLD_WORKER_CONCURRENCY,
    pollMs: cfg.SKJOLD_WORKER_POLL_MS,
    leaseMs: cfg.SKJOLD_WORKER_LEASE_MS,
    shutdownGraceMs: cfg.SKJOLD_WORKER_GRACE_MS,
    schedules: listSchedules(),
    signal: controller.signal,
  });
  console.log(`[worker ${workerId}] running ${jobRegistry.kinds().join(", ") || "(no jobs registered)"} on ${db.kind}`);
  const onSignal = (name: string) => {
    if (controller.signal.aborted) return;
    console.log(`[worker ${workerId}] ${name}: stopping`);
    controller.abort();
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  await new Promise<void>((resolve) => controller.signal.addEventListener("abort", () => resolve(), { once: true }));
  await worker.stop();
  await db.close();
  // Pooled SSH connections to hosts stay open for a minute after their last use: close them, or the
  // process lingers after "stopped" until a supervisor kills it.
  await sharedSshPool().close();
  console.log(`[worker ${workerId}] stopped`);
}

main().catch((err) => {
  console.error(`[worker] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
