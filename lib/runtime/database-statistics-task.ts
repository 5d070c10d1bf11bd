import type { ScheduledTask } from "../jobs/schedules";

/**
 * Every ten minutes: refreshes the planner's statistics (`ANALYZE`) where nothing else does. PostgreSQL
 * has its autovacuum launcher for that; the embedded PGlite runs no background workers, so its
 * statistics stay as they were when each table was created (empty) and the planner keeps choosing
 * plans made for empty tables: a team's VM list, say, read through the (teamId, state) index and
 * sorted whole instead of read in order along (teamId, createdAt, id). On a database with an
 * autovacuum launcher the task does nothing.
 */
export const databaseStatisticsTask: ScheduledTask = {
  name: "db.statistics",
  intervalSec: 600,
  async run(ctx) {
    const launchers = await ctx.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS "n" FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher'`;
    if ((launchers[0]?.n ?? 0) === 0) await ctx.prisma.$executeRaw`ANALYZE`;
  },
};
