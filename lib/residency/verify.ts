import type { PrismaClient } from "../generated/prisma/client";
import { GENESIS_HASH, hashEntry } from "./hash";

// Recomputes the whole chain in seq order, one batch at a time, and stops at the first link that does
// not hold: a row whose content no longer matches its hash, whose prevHash is not the previous row's
// hash, or whose seq skips a number (a deleted row).

export type LedgerVerification =
  | { ok: true; count: number; head: { seq: string; hash: string } }
  | {
      ok: false;
      count: number;
      brokenAt: { seq: string; problem: "content" | "link" | "gap"; expected: string; found: string };
    };

export async function verifyLedger({
  prisma,
  batchSize = 5000,
}: {
  prisma: PrismaClient;
  batchSize?: number;
}): Promise<LedgerVerification> {
  let prev = { seq: 0n, hash: GENESIS_HASH };
  let count = 0;
  for (;;) {
    const rows = await prisma.dataLocation.findMany({
      where: { seq: { gt: prev.seq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      const broken = (problem: "content" | "link" | "gap", expected: string, found: string) =>
        ({ ok: false, count, brokenAt: { seq: row.seq.toString(), problem, expected, found } }) as const;
      if (row.seq !== prev.seq + 1n) return broken("gap", `seq ${prev.seq + 1n}`, `seq ${row.seq}`);
      if (row.prevHash !== prev.hash) return broken("link", prev.hash, row.prevHash);
      const expected = hashEntry(row);
      if (expected !== row.hash) return broken("content", expected, row.hash);
      prev = { seq: row.seq, hash: row.hash };
      count++;
    }
    if (rows.length < batchSize) break;
  }
  return { ok: true, count, head: { seq: prev.seq.toString(), hash: prev.hash } };
}
