import type { PrismaClient } from "../../generated/prisma/client";

// A pool whose warm boots keep failing (a broken image, a host that cannot start the plan) must not
// boot again on every refill forever. Its health is read from its own history, the pool's last
// finished warm boots (jobs vm.warm): the failures since the last boot that succeeded. After the
// first failure the next boot waits BASE_MS, doubling with each further failure up to MAX_MS; one
// boot that succeeds ends it. A pool resized by its admin (a changed size) starts afresh.

export const WARM_BACKOFF_BASE_MS = 60_000;
export const WARM_BACKOFF_MAX_MS = 30 * 60_000;
/** How many of a pool's last finished warm boots are read: the backoff is at its cap well before. */
const HISTORY = 12;

export interface WarmPoolHealth {
  /** failed warm boots in a row, the newest first, since the last one that succeeded (or the admin's last change) */
  failures: number;
  lastError: string | null;
  lastFailureAt: Date | null;
  /** no new warm boot before this (null: the pool may boot now) */
  retryAt: Date | null;
}

/** The wait after `failures` failed boots in a row (pure): none, then BASE_MS doubling to MAX_MS. */
export function warmBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(WARM_BACKOFF_MAX_MS, WARM_BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30));
}

/** Health from a pool's last finished warm boots, the newest first (pure). */
export function warmPoolHealth(opts: {
  boots: { state: string; finishedAt: Date; lastError: string | null }[];
  /** the pool's last change by its admin: failures before it do not count */
  since: Date;
  now: Date;
}): WarmPoolHealth {
  const failed: typeof opts.boots = [];
  for (const b of opts.boots) {
    if (b.finishedAt < opts.since || b.state === "SUCCEEDED") break;
    if (b.state === "FAILED") failed.push(b);
  }
  const last = failed[0] ?? null;
  const until = last ? new Date(last.finishedAt.getTime() + warmBackoffMs(failed.length)) : null;
  return {
    failures: failed.length,
    lastError: last?.lastError ?? null,
    lastFailureAt: last?.finishedAt ?? null,
    retryAt: until && until > opts.now ? until : null,
  };
}

/** Each pool's health, by pool id: one query for the pools' last finished warm boots. */
export async function readWarmPoolHealth(opts: {
  prisma: PrismaClient;
  pools: { id: string; updatedAt: Date }[];
  now?: Date;
}): Promise<Map<string, WarmPoolHealth>> {
  const { prisma, pools } = opts;
  const now = opts.now ?? new Date();
  const out = new Map<string, WarmPoolHealth>();
  if (!pools.length) return out;
  const rows = await prisma.$queryRaw<{ poolId: string; state: string; finishedAt: Date; lastError: string | null }[]>`
    SELECT "poolId", state, "finishedAt", "lastError" FROM (
      SELECT v."warmPoolId" AS "poolId", j.state::text AS state, j."finishedAt", j."lastError",
             row_number() OVER (PARTITION BY v."warmPoolId" ORDER BY j."finishedAt" DESC) AS n
      FROM "Job" j JOIN "VirtualMachine" v ON v.id = j."vmId"
      WHERE j.kind = 'vm.warm' AND j."finishedAt" IS NOT NULL AND v."warmPoolId" IS NOT NULL
    ) recent WHERE n <= ${HISTORY} ORDER BY "poolId", "finishedAt" DESC`;
  for (const p of pools) {
    const boots = rows.filter((r) => r.poolId === p.id);
    out.set(p.id, warmPoolHealth({ boots, since: p.updatedAt, now }));
  }
  return out;
}
