import { Prisma } from "../generated/prisma/client";
import type { Jurisdiction, ResourceKind } from "../generated/prisma/enums";
import { sqlTimestamp, type Db } from "./db";

// The report's unit: one stay of one resource in one location, from its OPEN to the CLOSE that ends
// it (until = null: still there at the as-of date). Read in keyset-paged batches, bounded by the
// ledger head the report was started from, so memory stays flat and concurrent appends do not leak in.

export interface LocationInterval {
  seq: bigint;
  teamId: string | null;
  teamSlug: string | null;
  resourceKind: ResourceKind;
  resourceId: string;
  resourceName: string;
  hostName: string | null;
  poolName: string | null;
  path: string | null;
  regionCode: string;
  country: string;
  jurisdiction: Jurisdiction;
  from: Date;
  until: Date | null;
}

export interface IntervalQuery {
  prisma: Db;
  headSeq: bigint;
  asOf: Date;
  teamId?: string;
  /** Only stays that still existed at this date (period start); default: all. */
  since?: Date;
  /** Only stays open at asOf. */
  onlyOpen?: boolean;
  /** Only stays outside the EEA (transfers to third countries). */
  outsideEeaOnly?: boolean;
  /** "ledger": by seq; "resource": grouped by resource, then seq. */
  order?: "ledger" | "resource";
  batchSize?: number;
}

type Cursor = { seq: bigint; resourceId: string } | null;

function batchSql(q: IntervalQuery, after: Cursor, limit: number): Prisma.Sql {
  const asOf = Prisma.sql`${sqlTimestamp(q.asOf)}::timestamp`;
  const where: Prisma.Sql[] = [
    Prisma.sql`o.action = 'OPEN'`,
    Prisma.sql`o.seq <= ${q.headSeq.toString()}::bigint`,
    Prisma.sql`o."effectiveAt" <= ${asOf}`,
  ];
  if (q.teamId) where.push(Prisma.sql`o."teamId" = ${q.teamId}::uuid`);
  if (q.onlyOpen) where.push(Prisma.sql`c.seq IS NULL`);
  if (q.since) where.push(Prisma.sql`(c.seq IS NULL OR c."effectiveAt" >= ${sqlTimestamp(q.since)}::timestamp)`);
  if (q.outsideEeaOnly) where.push(Prisma.sql`o.jurisdiction::text NOT IN ('NO_EEA', 'EU', 'EEA_OTHER')`);
  const byResource = q.order === "resource";
  if (after && byResource) where.push(Prisma.sql`(o."resourceId", o.seq) > (${after.resourceId}, ${after.seq.toString()}::bigint)`);
  if (after && !byResource) where.push(Prisma.sql`o.seq > ${after.seq.toString()}::bigint`);
  const order = byResource ? Prisma.sql`o."resourceId", o.seq` : Prisma.sql`o.seq`;
  return Prisma.sql`
    SELECT o.seq, o."teamId"::text AS "teamId", o."teamSlug", o."resourceKind"::text AS "resourceKind",
           o."resourceId", o."resourceName", o."hostName", o."poolName", o.path, o."regionCode", o.country,
           o.jurisdiction::text AS jurisdiction, o."effectiveAt" AS "from", c."effectiveAt" AS until
    FROM "DataLocation" o
    LEFT JOIN LATERAL (
      SELECT x.seq, x."effectiveAt" FROM "DataLocation" x
      WHERE x."resourceId" = o."resourceId" AND x.seq > o.seq AND x.seq <= ${q.headSeq.toString()}::bigint
        AND x.action = 'CLOSE' AND x."resourceKind" = o."resourceKind" AND x."regionCode" = o."regionCode"
        AND x."hostName" IS NOT DISTINCT FROM o."hostName" AND x."poolName" IS NOT DISTINCT FROM o."poolName"
        AND x.path IS NOT DISTINCT FROM o.path AND x."effectiveAt" <= ${asOf}
      ORDER BY x.seq LIMIT 1
    ) c ON true
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${order}
    LIMIT ${limit}`;
}

export async function* readLocationIntervals(q: IntervalQuery): AsyncGenerator<LocationInterval> {
  const limit = q.batchSize ?? 2000;
  let after: Cursor = null;
  for (;;) {
    const rows: LocationInterval[] = await q.prisma.$queryRaw<LocationInterval[]>(batchSql(q, after, limit));
    for (const row of rows) yield { ...row, seq: BigInt(row.seq) };
    const last: LocationInterval | undefined = rows.at(-1);
    if (!last || rows.length < limit) return;
    after = { seq: BigInt(last.seq), resourceId: last.resourceId };
  }
}
