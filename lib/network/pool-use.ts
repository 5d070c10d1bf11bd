import { Prisma } from "../generated/prisma/client";
import { sqlTimestamp, type Db } from "../residency/db";
import { poolCapacity, type PoolShape } from "./ipam";

// How much of each pool is taken, in one query for any number of pools: units held by a VM, and
// units resting in quarantine after their VM let them go (not handed out until it ends).

export interface PoolUse {
  held: number;
  quarantined: number;
  /** capacity − held − quarantined, as text: an IPv6 pool's figures do not fit a JSON number */
  free: string;
  capacity: string;
}

export async function readPoolUse(opts: {
  db: Db;
  pools: readonly (PoolShape & { id: string })[];
  now: Date;
}): Promise<Map<string, PoolUse>> {
  const use = new Map<string, PoolUse>();
  if (opts.pools.length === 0) return use;
  const ids = Prisma.join(opts.pools.map((p) => Prisma.sql`${p.id}::uuid`));
  const rows = await opts.db.$queryRaw<{ poolId: string; held: number; quarantined: number }[]>`
    SELECT "poolId"::text AS "poolId",
           (count(*) FILTER (WHERE "vmId" IS NOT NULL))::int AS held,
           (count(*) FILTER (WHERE "vmId" IS NULL AND "quarantineUntil" > ${sqlTimestamp(opts.now)}::timestamp))::int AS quarantined
    FROM "IpLease" WHERE "poolId" IN (${ids}) GROUP BY "poolId"`;
  const counted = new Map(rows.map((r) => [r.poolId, r]));
  for (const pool of opts.pools) {
    const held = Number(counted.get(pool.id)?.held ?? 0);
    const quarantined = Number(counted.get(pool.id)?.quarantined ?? 0);
    const capacity = poolCapacity(pool);
    // A unit resting in quarantine that an admin reserved since is counted twice: free errs low.
    const free = capacity - BigInt(held + quarantined);
    use.set(pool.id, { held, quarantined, free: String(free > 0n ? free : 0n), capacity: String(capacity) });
  }
  return use;
}
