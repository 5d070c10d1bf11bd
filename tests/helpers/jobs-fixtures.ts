import { z } from "zod";
import { AppError } from "../../lib/core/errors";
import type { PrismaClient } from "../../lib/generated/prisma/client";
import type { SqlRunner } from "../../lib/db/migrate";
import { defineJob } from "../../lib/jobs/define";
import { createJobRegistry } from "../../lib/jobs/job-registry";
import { sleep } from "../../lib/jobs/lease-guard";

// Jobs used by the job-engine tests, in this process and in worker child processes. Every step
// records what it did in jobs_test_effects, so a test can count side effects exactly.

export async function createJobTestTables(sql: SqlRunner): Promise<void> {
  await sql.exec(`
    CREATE TABLE IF NOT EXISTS jobs_test_effects (id bigserial PRIMARY KEY, job_id uuid NOT NULL, what text NOT NULL, worker text);
    CREATE TABLE IF NOT EXISTS jobs_test_markers (name text PRIMARY KEY);`);
}

async function recordEffect(prisma: PrismaClient, jobId: string, what: string): Promise<void> {
  await prisma.$executeRaw`INSERT INTO jobs_test_effects (job_id, what, worker) VALUES (${jobId}::uuid, ${what}, ${process.env.JOBS_TEST_WORKER ?? "main"})`;
}

export async function effectsOf(prisma: PrismaClient, jobId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ what: string }[]>`SELECT what FROM jobs_test_effects WHERE job_id = ${jobId}::uuid ORDER BY id`;
  return rows.map((r) => r.what);
}

export async function setMarker(prisma: PrismaClient, name: string): Promise<void> {
  await prisma.$executeRaw`INSERT INTO jobs_test_markers (name) VALUES (${name}) ON CONFLICT DO NOTHING`;
}

async function waitForMarker(prisma: PrismaClient, name: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    const rows = await prisma.$queryRaw<unknown[]>`SELECT 1 FROM jobs_test_markers WHERE name = ${name}`;
    if (rows.length > 0) return;
    if (signal.aborted) throw signal.reason;
    await sleep(25, signal);
  }
}

/** a → b → c; each reads the previous output. b can wait for a marker ("b:<jobId>"). */
export const chainJob = defineJob({
  name: "test.chain",
  payload: z.object({ start: z.number().int(), waitInB: z.boolean().default(false) }),
  steps: [
    { key: "a", run: async (ctx) => (await recordEffect(ctx.prisma, ctx.job.id, "a"), { n: ctx.payload.start + 1 }) },
    {
      key: "b",
      run: async (ctx) => {
        await recordEffect(ctx.prisma, ctx.job.id, "b:start");
        if (ctx.payload.waitInB) await waitForMarker(ctx.prisma, `b:${ctx.job.id}`, ctx.signal);
        const a = z.object({ n: z.number() }).parse(ctx.outputs.a);
        await recordEffect(ctx.prisma, ctx.job.id, "b:done");
        return { n: a.n * 10 };
      },
    },
    {
      key: "c",
      run: async (ctx) => {
        await recordEffect(ctx.prisma, ctx.job.id, "c");
        return { seen: { ...ctx.outputs } };
      },
    },
  ],
});

/** Fails transiently `failures` times, then succeeds. */
export const flakyJob = defineJob({
  name: "test.flaky",
  payload: z.object({ failures: z.number().int().min(0), transientAs: z.enum(["HOST_UNREACHABLE", "TIMEOUT"]) }),
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 },
  steps: [
    { key: "prepare", run: async (ctx) => void (await recordEffect(ctx.prisma, ctx.job.id, "prepare")) },
    {
      key: "connect",
      run: async (ctx) => {
        const tries = (await effectsOf(ctx.prisma, ctx.job.id)).filter((e) => e === "connect").length;
        await recordEffect(ctx.prisma, ctx.job.id, "connect");
        if (tries < ctx.payload.failures) {
          if (ctx.payload.transientAs === "HOST_UNREACHABLE")
            throw new AppError("HOST_UNREACHABLE", "host did not answer", { transient: true });
          throw new AppError("TIMEOUT", "connection reset", { transient: true });
        }
        return { tries: tries + 1 };
      },
    },
  ],
});

/** Three steps that each leave something behind; `failAt` fails for good, `undoFails` breaks a rollback. */
export const doomedJob = defineJob({
  name: "test.doomed",
  payload: z.object({ failAt: z.enum(["disk", "domain", "start", "none"]), undoFails: z.enum(["disk", "none"]).default("none") }),
  steps: (["disk", "domain", "start"] as const).map((key) => ({
    key,
    run: async (ctx: { prisma: PrismaClient; job: { id: string }; payload: { failAt: string } }) => {
      if (ctx.payload.failAt === key) throw new AppError("HOST_COMMAND_FAILED", `${key} failed on the host`);
      await recordEffect(ctx.prisma, ctx.job.id, `do:${key}`);
      return { made: key };
    },
    compensate: async (ctx: { prisma: PrismaClient; job: { id: string }; payload: { undoFails: string }; output: unknown }) => {
      if (ctx.payload.undoFails === key) throw new AppError("HOST_COMMAND_FAILED", `could not remove ${key}`);
      await recordEffect(ctx.prisma, ctx.job.id, `undo:${(ctx.output as { made: string }).made}`);
    },
  })),
});

/** One step that records which worker ran it; used by races and benchmarks. */
export const touchJob = defineJob({
  name: "test.touch",
  payload: z.object({ i: z.number().int(), holdMs: z.number().int().min(0).default(0) }),
  steps: [
    {
      key: "touch",
      run: async (ctx) => {
        await recordEffect(ctx.prisma, ctx.job.id, "touch");
        if (ctx.payload.holdMs) await sleep(ctx.payload.holdMs);
      },
    },
  ],
});

/** Steps that each wait for the test to open a gate ("<key>:<jobId>"), for watching transitions. */
export const gatedJob = defineJob({
  name: "test.gated",
  payload: z.object({}),
  steps: ["place", "boot", "verify"].map((key) => ({
    key,
    run: async (ctx: { prisma: PrismaClient; job: { id: string }; signal: AbortSignal }) => {
      await waitForMarker(ctx.prisma, `${key}:${ctx.job.id}`, ctx.signal);
      return { key };
    },
  })),
});

export const testJobRegistry = () => createJobRegistry(chainJob, flakyJob, doomedJob, touchJob, gatedJob);
