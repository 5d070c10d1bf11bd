import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { NOW } from "./db";
import { describeError } from "./errors";

// Cluster-wide schedules. Every replica calls runSchedules on its own tick; one UPDATE per task moves
// the schedule's nextRunAt past now only if it was due, so exactly one replica wins each interval.
// Intervals stay on their grid: a schedule that was not run for a while fires once, not once per
// missed interval. While a run is in progress (lockedUntil, one interval), no replica starts another.

interface ScheduledTaskContext {
  prisma: PrismaClient;
  workerId: string;
  signal: AbortSignal;
  /** When this replica claimed the run (database clock). */
  firedAt: Date;
}

export interface ScheduledTask {
  name: string;
  intervalSec: number;
  run(ctx: ScheduledTaskContext): Promise<void> | void;
}

export interface RunSchedulesOptions {
  prisma: PrismaClient;
  workerId: string;
  tasks: readonly ScheduledTask[];
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface ScheduleRunReport {
  ran: string[];
  failed: string[];
}

const NAME = /^[a-z][a-z0-9]*(?:[.:_-][a-z0-9]+)*$/;

export async function runSchedules(opts: RunSchedulesOptions): Promise<ScheduleRunReport> {
  const { prisma, workerId, tasks } = opts;
  const log = opts.log ?? ((line: string) => console.log(line));
  for (const t of tasks) {
    if (!NAME.test(t.name) || !Number.isInteger(t.intervalSec) || t.intervalSec < 1) {
      throw new Error(`schedule "${t.name}" needs a plain name and a whole number of seconds >= 1`);
    }
  }
  await ensureSchedules(prisma, tasks);
  const report: ScheduleRunReport = { ran: [], failed: [] };
  for (const task of tasks) {
    if (opts.signal?.aborted) break;
    const claimed = await prisma.$queryRaw<{ firedAt: Date }[]>`
      UPDATE "Schedule" SET
        "nextRunAt" = "nextRunAt" + "intervalSec" * interval '1 second'
          * (floor(extract(epoch FROM (${NOW} - "nextRunAt")) / "intervalSec") + 1),
        "lastRunAt" = ${NOW}, "lastRunBy" = ${workerId}, runs = runs + 1,
        "lockedUntil" = ${NOW} + "intervalSec" * interval '1 second'
      WHERE name = ${task.name} AND "nextRunAt" <= ${NOW} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${NOW})
      RETURNING "lastRunAt" AS "firedAt"`;
    const due = claimed[0];
    if (!due) continue;
    try {
      await task.run({ prisma, workerId, signal: opts.signal ?? new AbortController().signal, firedAt: new Date(due.firedAt) });
      report.ran.push(task.name);
    } catch (err) {
      report.failed.push(task.name);
      log(`[schedule ${task.name}] failed: ${describeError(err, log)}`);
    } finally {
      await prisma.$executeRaw`UPDATE "Schedule" SET "lockedUntil" = NULL WHERE name = ${task.name} AND "lastRunBy" = ${workerId}`;
    }
  }
  return report;
}

async function ensureSchedules(prisma: PrismaClient, tasks: readonly ScheduledTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const rows = tasks.map((t) => Prisma.sql`(${t.name}, ${t.intervalSec}::int, ${NOW})`);
  // A changed interval takes effect from the next run on.
  await prisma.$executeRaw`
    INSERT INTO "Schedule" (name, "intervalSec", "nextRunAt") VALUES ${Prisma.join(rows)}
    ON CONFLICT (name) DO UPDATE SET "intervalSec" = EXCLUDED."intervalSec"
    WHERE "Schedule"."intervalSec" <> EXCLUDED."intervalSec"`;
}
