import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { databaseStatisticsTask } from "@/lib/runtime/database-statistics-task";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam, makeVms } from "@/tests/helpers/factories";

// The embedded database has no autovacuum: without the db.statistics task its planner would keep
// the statistics of empty tables for ever and read a team's VM list the slow way. A PostgreSQL with
// its autovacuum launcher running is left to it; one without (this machine's runs with autovacuum
// off) is analyzed like the embedded one.

const VM_LIST_PLAN = `EXPLAIN SELECT "id" FROM "VirtualMachine" WHERE "teamId" = $1::uuid ORDER BY "createdAt" DESC, "id" DESC LIMIT 51`;

describe.each(DB_KINDS)("db.statistics (%s)", (kind) => {
  let db: Database;
  let teamId: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const team = await makeTeam(db.prisma);
    teamId = team.id;
    const region = await db.prisma.region.create({
      data: { code: "osl8", name: "Oslo 8", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
    });
    await makeVms(db.prisma, { teamId, regionId: region.id, count: 600, prefix: "stat" });
  });
  afterAll(async () => db?.close());

  const lastAnalyze = async () =>
    (await db.sql.query<{ at: Date | null }>(`SELECT last_analyze AS "at" FROM pg_stat_user_tables WHERE relname = 'VirtualMachine'`))[0]
      ?.at ?? null;
  const plan = async () => (await db.sql.query<{ "QUERY PLAN": string }>(VM_LIST_PLAN, [teamId])).map((r) => r["QUERY PLAN"]).join("\n");

  it("analyzes a database no autovacuum looks after, so the VM list is read along its index; leaves one with autovacuum to it", async () => {
    const ctx = { prisma: db.prisma, workerId: "test", signal: new AbortController().signal, firedAt: new Date() };
    const [{ launchers }] = (await db.sql.query<{ launchers: number }>(
      `SELECT count(*)::int AS "launchers" FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher'`,
    )) as [{ launchers: number }];
    if (kind === "embedded") expect(launchers).toBe(0);
    if (launchers === 0) {
      expect(await plan()).not.toContain("VirtualMachine_teamId_createdAt_id_idx");
      await databaseStatisticsTask.run(ctx);
      const [{ n }] = (await db.sql.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'VirtualMachine'`)) as [
        { n: number },
      ];
      expect(n).toBe(600);
      expect(await plan()).toContain("VirtualMachine_teamId_createdAt_id_idx");
    } else {
      await databaseStatisticsTask.run(ctx);
      expect(await lastAnalyze()).toBeNull();
    }
  });
});
