import type { Prisma, PrismaClient } from "../generated/prisma/client";

/** A Prisma client or the transaction client handed to `$transaction(async (tx) => …)`. */
export type Db = PrismaClient | Prisma.TransactionClient;

// A transaction client also has $transaction (nested, via savepoints that PGlite's adapter lacks);
// only the full client can $connect.
function isClient(db: Db): db is PrismaClient {
  return typeof (db as Partial<PrismaClient>).$connect === "function";
}

/** Runs fn in a transaction: the caller's own when it passed one, a new one otherwise. */
export async function inTransaction<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return isClient(db) ? db.$transaction(fn) : fn(db);
}

/** Timestamps are stored as UTC `timestamp(3)`; pass them to raw SQL as text so no session time zone applies. */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace("Z", "");
}
