import type { PrismaClient } from "../generated/prisma/client";
import type { LedgerVerificationModel } from "../generated/prisma/models";
import type { LedgerProblem } from "./verify";

// What the recorded verifications say about the ledger now. The chain is BROKEN from the moment a
// verification (full, tail, or a report's own) finds a link that does not hold, until a FULL
// verification that started after that finding passes: a tail run never clears a break, and no run
// that was already under way when the break was found counts. Otherwise it is VERIFIED up to the
// highest entry an intact run reached (its anchor for the next tail), or UNVERIFIED if none ran.

export const ACKNOWLEDGE_ACTION = "residency.ledger.acknowledge";

export interface LedgerBreak {
  seq: string;
  problem: LedgerProblem;
  expected: string;
  found: string;
}

interface LedgerAcknowledgement {
  by: string;
  at: Date;
  reason: string;
}

export type LedgerIntegrity =
  | { status: "unverified" }
  | {
      status: "verified";
      /** The highest entry a verification found intact, and its hash: where the next tail starts. */
      verifiedThrough: { seq: string; hash: string; at: Date };
      /** The latest full recomputation from seq 1. Times are when a run started: an edit made before it would have been found. */
      fullVerification: { throughSeq: string; at: Date };
    }
  | {
      status: "broken";
      brokenAt: LedgerBreak;
      detectedAt: Date;
      verificationId: string;
      /** An admin's explanation: it silences the alarm, never the mark on reports and pages. */
      acknowledgement: LedgerAcknowledgement | null;
    };

function breakOf(run: Pick<LedgerVerificationModel, "brokenSeq" | "problem" | "expected" | "found">): LedgerBreak {
  return { seq: String(run.brokenSeq), problem: run.problem as LedgerProblem, expected: run.expected ?? "", found: run.found ?? "" };
}

function sameBreak(a: LedgerBreak, details: unknown): boolean {
  const d = (details ?? {}) as Partial<Record<keyof LedgerBreak, unknown>>;
  return d.seq === a.seq && d.problem === a.problem && d.found === a.found;
}

/** The acknowledgement of this break made since the chain last verified in full, if any. */
async function findAcknowledgement(prisma: PrismaClient, brokenAt: LedgerBreak): Promise<LedgerAcknowledgement | null> {
  const lastFull = await prisma.ledgerVerification.findFirst({
    where: { ok: true, kind: "FULL" },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  const acks = await prisma.auditEvent.findMany({
    where: { action: ACKNOWLEDGE_ACTION, ...(lastFull ? { at: { gt: lastFull.finishedAt } } : {}) },
    orderBy: { at: "desc" },
    take: 20,
  });
  const ack = acks.find((a) => sameBreak(brokenAt, a.details));
  return ack ? { by: ack.actorLabel, at: ack.at, reason: String((ack.details as { reason?: unknown }).reason ?? "") } : null;
}

/** The ledger's integrity as the recorded verifications state it; reads only. */
export async function readLedgerIntegrity({ prisma }: { prisma: PrismaClient }): Promise<LedgerIntegrity> {
  const lastBroken = await prisma.ledgerVerification.findFirst({ where: { ok: false }, orderBy: { finishedAt: "desc" } });
  const after = lastBroken ? { startedAt: { gt: lastBroken.finishedAt } } : {};
  const full = await prisma.ledgerVerification.findFirst({ where: { ok: true, kind: "FULL", ...after }, orderBy: { startedAt: "desc" } });
  if (lastBroken && !full) {
    const brokenAt = breakOf(lastBroken);
    return {
      status: "broken",
      brokenAt,
      detectedAt: lastBroken.finishedAt,
      verificationId: lastBroken.id,
      acknowledgement: await findAcknowledgement(prisma, brokenAt),
    };
  }
  if (!full) return { status: "unverified" };
  const anchor = await prisma.ledgerVerification.findFirst({
    where: { ok: true, ...after },
    orderBy: [{ throughSeq: "desc" }, { finishedAt: "desc" }],
  });
  const best = anchor ?? full;
  return {
    status: "verified",
    verifiedThrough: { seq: best.throughSeq.toString(), hash: best.throughHash, at: best.startedAt },
    fullVerification: { throughSeq: full.throughSeq.toString(), at: full.startedAt },
  };
}
