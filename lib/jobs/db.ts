import { Prisma, type PrismaClient } from "../generated/prisma/client";

/** A client or the transaction client of `prisma.$transaction(async (tx) => …)`. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

// Timestamps are TIMESTAMP(3) without zone holding UTC (what Prisma writes). Leases compare against
// the database's clock, never a worker's, so replicas with skewed clocks still agree.
export const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export function inMs(ms: number): Prisma.Sql {
  return Prisma.sql`(${Math.round(ms)}::int * interval '1 millisecond')`;
}
