import type { PrismaClient } from "../generated/prisma/client";
import { GENESIS_HASH, hashEntry } from "./hash";

// Recomputes the chain in seq order, one batch at a time, and stops at the first link that does not
// hold: a row whose content no longer matches its hash, whose prevHash is not the previous row's
// hash, or whose seq skips a number (a deleted row). From an anchor (an entry an earlier verification
// found intact) only the tail after it is recomputed; the anchor entry itself must still carry the
// hash that verification recorded, or the chain was rewritten from there on ("anchor").

export type LedgerProblem = "content" | "link" | "gap" | "anchor";

export type LedgerVerification =
  | { ok: true; count: number; head: { seq: string; hash: string } }
  | {
      ok: false;
      count: number;
      brokenAt: { seq: string; problem: LedgerProblem; expected: string; found: string };
      /** The last entry found intact before the break (seq 0: none). */
      intactThrough: { seq: string; hash: string };
    };

export async function verifyLedger({
  prisma,
  batchSize = 5000,
  from,
  through,
}: {
  prisma: PrismaClient;
  batchSize?: number;
  /** Start after this entry, trusted as far as its own content and hash (default: from seq 1). */
  from?: { seq: bigint; hash: string };
  /** Stop at this seq (a report's ledger head); default: the last entry. */
  through?: bigint;
}): Promise<LedgerVerification> {
  let prev = { seq: 0n, hash: GENESIS_HASH };
  if (from && from.seq > 0n) {
    const anchor = await prisma.dataLocation.findUnique({ where: { seq: from.seq } });
    const broken = (problem: LedgerProblem, expected: string, found: string) =>
      ({
        ok: false,
        count: 0,
        brokenAt: { seq: from.seq.toString(), problem, expected, found },
        intactThrough: { seq: "0", hash: GENESIS_HASH },
      }) as const;
    if (!anchor) return broken("gap", `seq ${from.seq}`, "missing");
    if (hashEntry(anchor) !== anchor.hash) return broken("content", hashEntry(anchor), anchor.hash);
    if (anchor.hash !== from.hash) return broken("anchor", from.hash, anchor.hash);
    prev = from;
  }
  let count = 0;
  for (;;) {
    const rows = await prisma.dataLocation.findMany({
      where: { seq: through === undefined ? { gt: prev.seq } : { gt: prev.seq, lte: through } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      const broken = (problem: LedgerProblem, expected: string, found: string) =>
        ({
          ok: false,
          count,
          brokenAt: { seq: row.seq.toString(), problem, expected, found },
          intactThrough: { seq: prev.seq.toString(), hash: prev.hash },
        }) as const;
      if (row.seq !== prev.seq + 1n) return broken("gap", `seq ${prev.seq + 1n}`, `seq ${row.seq}`);
      if (row.prevHash !== prev.hash) return broken("link", prev.hash, row.prevHash);
      const expected = hashEntry(row);
      if (expected !== row.hash) return broken("content", expected, row.hash);
      prev = { seq: row.seq, hash: row.hash };
      count++;
    }
    if (rows.length < batchSize) break;
  }
  if (through !== undefined && prev.seq < through) {
    // The entries up to the head the caller read are gone (deleted from the end of the chain).
    const seq = (prev.seq + 1n).toString();
    return {
      ok: false,
      count,
      brokenAt: { seq, problem: "gap", expected: `seq ${seq}`, found: "missing" },
      intactThrough: { seq: prev.seq.toString(), hash: prev.hash },
    };
  }
  return { ok: true, count, head: { seq: prev.seq.toString(), hash: prev.hash } };
}
