import type { Prisma } from "../generated/prisma/client";
import type { DataLocationModel } from "../generated/prisma/models";
import { GENESIS_HASH, hashEntry, type HashedFields } from "./hash";

// Every append takes one transaction-scoped advisory lock and reads the chain's head inside it, so
// concurrent writers (several portal replicas and workers) still produce one linear chain with
// gapless sequence numbers. The lock is released when the caller's transaction commits.
const LEDGER_LOCK = 7_401_913; // arbitrary, constant: "skjold residency ledger"

export type NewEntry = Omit<HashedFields, "seq" | "prevHash" | "recordedAt">;

export interface LedgerHead {
  seq: bigint;
  hash: string;
}

export async function lockLedger(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`;
}

export async function readLedgerHead(tx: Prisma.TransactionClient): Promise<LedgerHead> {
  const last = await tx.dataLocation.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  return last ?? { seq: 0n, hash: GENESIS_HASH };
}

/** Appends entries in order; call it inside a transaction. */
export async function appendEntries(tx: Prisma.TransactionClient, entries: readonly NewEntry[]): Promise<DataLocationModel[]> {
  if (entries.length === 0) return [];
  await lockLedger(tx);
  let head = await readLedgerHead(tx);
  const recordedAt = new Date();
  const rows: DataLocationModel[] = [];
  for (const entry of entries) {
    const fields: HashedFields = { ...entry, seq: head.seq + 1n, prevHash: head.hash, recordedAt };
    const row = await tx.dataLocation.create({ data: { ...fields, hash: hashEntry(fields) } });
    rows.push(row);
    head = { seq: row.seq, hash: row.hash };
  }
  return rows;
}
