import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { runSchedules, type ScheduledTask } from "@/lib/jobs/schedules";
import { DB_KINDS, freshDatabase } from "../helpers/db";

describe.each(DB_KINDS)("cluster-wide schedules on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  const runners = ["replica-a", "replica-b", "replica-c"];

  it("runs a task once per interval however many replicas tick at the same time", async () => {
    const runsBy: string[] = [];
    const tasks: ScheduledTask[] = [{ name: "latency.probe", intervalSec: 60, run: (ctx) => void runsBy.push(ctx.workerId) }];
    const tickAll = () => Promise.all(runners.map((workerId) => runSchedules({ prisma: db.prisma, workerId, tasks })));

    const first = await tickAll();
    expect(runsBy).toHaveLength(1);
    expect(first.flatMap((r) => r.ran)).toEqual(["latency.probe"]);
    await tickAll(); // same interval: nobody runs it again
    expect(runsBy).toHaveLength(1);

    // Many intervals pass (replicas were down): the next tick runs it once, not once per missed interval.
    await db.sql.exec(`UPDATE "Schedule" SET "nextRunAt" = "nextRunAt" - interval '10 minutes' WHERE name = 'latency.probe'`);
    await tickAll();
    await tickAll();
    expect(runsBy).toHaveLength(2);
    const row = await db.prisma.schedule.findUniqueOrThrow({ where: { name: "latency.probe" } });
    expect(row).toMatchObject({ runs: 2, lockedUntil: null, lastRunBy: runsBy[1] });
    expect(row.nextRunAt.getTime()).toBeGreaterThan(row.lastRunAt!.getTime());
  });

  it("keeps a failing task on its schedule and reports it", async () => {
    const logs: string[] = [];
    const tasks: ScheduledTask[] = [{ name: "reconcile.hosts", intervalSec: 30, run: () => Promise.reject(new Error("libvirt down")) }];
    const reports = await Promise.all(
      runners.map((workerId) => runSchedules({ prisma: db.prisma, workerId, tasks, log: (l) => logs.push(l) })),
    );
    expect(reports.flatMap((r) => r.failed)).toEqual(["reconcile.hosts"]);
    expect(logs.join("\n")).toContain("libvirt down");
    expect(await db.prisma.schedule.findUniqueOrThrow({ where: { name: "reconcile.hosts" } })).toMatchObject({
      runs: 1,
      lockedUntil: null,
    });
  });
});
