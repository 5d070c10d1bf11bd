import type { PrismaClient } from "../generated/prisma/client";
import type { ScheduledTask } from "../jobs/schedules";
import { GENESIS_HASH } from "./hash";
import { readLedgerIntegrity, type LedgerBreak, type LedgerIntegrity } from "./integrity";
import { verifyLedger, type LedgerVerification } from "./verify";

// Verification runs, each recorded (LedgerVerification) so that reports can name the run that covers
// them and the portal can raise an alarm. A FULL run recomputes every entry: on demand (the verify
// button and API), every hour on the schedule, and inside a report while the ledger is small enough
// for that to be cheap. A report over a larger ledger verifies only the tail after the last intact
// entry a run recorded; an entry altered behind that point is found by the next full run.
// Every run also checks the witnesses: the (seq, hash) that recent intact runs recorded. A chain
// rewritten consistently from some entry on (every hash recomputed) still links, but no longer
// carries the hash a run saw at that seq.

/** Up to this many entries a report recomputes the whole chain itself (0.6-1.5 s here; docs/residency.md). */
const FULL_VERIFY_INLINE_MAX = 20_000;
const FULL_VERIFY_INTERVAL_SEC = 3600;

type VerificationTrigger = "schedule" | "report" | "manual";
export type RecordedVerification = LedgerVerification & { verificationId: string; startedAt: Date; finishedAt: Date };

const WITNESSES = 100;

/** The lowest recorded witness the ledger no longer matches, if any. */
async function checkWitnesses(prisma: PrismaClient): Promise<LedgerBreak | null> {
  const runs = await prisma.ledgerVerification.findMany({
    where: { ok: true, throughSeq: { gt: 0n } },
    orderBy: { finishedAt: "desc" },
    take: WITNESSES,
    select: { throughSeq: true, throughHash: true },
  });
  const rows = await prisma.dataLocation.findMany({
    where: { seq: { in: [...new Set(runs.map((r) => r.throughSeq))] } },
    select: { seq: true, hash: true },
  });
  const hashAt = new Map(rows.map((r) => [r.seq, r.hash]));
  const broken = runs.filter((r) => hashAt.get(r.throughSeq) !== r.throughHash).sort((a, b) => (a.throughSeq < b.throughSeq ? -1 : 1))[0];
  if (!broken) return null;
  const found = hashAt.get(broken.throughSeq);
  return found
    ? { seq: broken.throughSeq.toString(), problem: "anchor", expected: broken.throughHash, found }
    : { seq: broken.throughSeq.toString(), problem: "gap", expected: `seq ${broken.throughSeq}`, found: "missing" };
}

/** The chain's own verdict, overruled by a witness that breaks earlier. */
async function verifyWithWitnesses(opts: Parameters<typeof verifyLedger>[0]): Promise<LedgerVerification> {
  const result = await verifyLedger(opts);
  const witness = await checkWitnesses(opts.prisma);
  if (!witness || (!result.ok && BigInt(result.brokenAt.seq) <= BigInt(witness.seq))) return result;
  return { ok: false, count: result.count, brokenAt: witness, intactThrough: { seq: "0", hash: GENESIS_HASH } };
}

async function recordRun(opts: {
  prisma: PrismaClient;
  trigger: VerificationTrigger;
  actor?: string;
  from?: { seq: bigint; hash: string };
  through?: bigint;
}): Promise<RecordedVerification> {
  const { prisma, from } = opts;
  const startedAt = new Date();
  const result = await verifyWithWitnesses({ prisma, from, through: opts.through });
  const finishedAt = new Date();
  const intact = result.ok ? result.head : result.intactThrough;
  const broken = result.ok ? null : result.brokenAt;
  const row = await prisma.ledgerVerification.create({
    data: {
      kind: from ? "TAIL" : "FULL",
      trigger: opts.trigger,
      actor: opts.actor ?? null,
      fromSeq: (from?.seq ?? 0n) + 1n,
      throughSeq: BigInt(intact.seq),
      throughHash: intact.hash,
      ok: result.ok,
      brokenSeq: broken ? BigInt(broken.seq) : null,
      problem: broken?.problem ?? null,
      expected: broken?.expected ?? null,
      found: broken?.found ?? null,
      startedAt,
      finishedAt,
    },
    select: { id: true },
  });
  return { ...result, verificationId: row.id, startedAt, finishedAt };
}

/** Recomputes the whole chain and records the run; a pass clears a break found earlier. */
export function runLedgerVerification(opts: {
  prisma: PrismaClient;
  trigger: VerificationTrigger;
  actor?: string;
}): Promise<RecordedVerification> {
  return recordRun(opts);
}

export type ReportIntegrity = Exclude<LedgerIntegrity, { status: "unverified" }>;

/**
 * Makes sure a verification covers the ledger up to `headSeq` (the head a report is built from) and
 * returns what the report must state. While the chain is known broken, nothing short of a full run
 * can change that, so only a small ledger is recomputed here; a large one waits for the schedule or
 * a verification on demand.
 */
export async function verifyReportLedger(opts: {
  prisma: PrismaClient;
  headSeq: bigint;
  actor: string;
  fullVerifyInlineMax?: number;
}): Promise<ReportIntegrity> {
  const { prisma, headSeq, actor } = opts;
  const state = await readLedgerIntegrity({ prisma });
  if (headSeq <= BigInt(opts.fullVerifyInlineMax ?? FULL_VERIFY_INLINE_MAX) || state.status === "unverified") {
    await recordRun({ prisma, trigger: "report", actor, through: headSeq });
  } else if (state.status === "verified" && BigInt(state.verifiedThrough.seq) < headSeq) {
    const { seq, hash } = state.verifiedThrough;
    await recordRun({ prisma, trigger: "report", actor, from: { seq: BigInt(seq), hash }, through: headSeq });
  }
  const after = await readLedgerIntegrity({ prisma });
  if (after.status === "unverified") throw new Error("a ledger verification was recorded but cannot be read back");
  return after;
}

/** The hourly full verification, run by one worker of the deployment (lib/jobs/schedules.ts). */
export const ledgerVerificationTask: ScheduledTask = {
  name: "residency.verify",
  intervalSec: FULL_VERIFY_INTERVAL_SEC,
  async run({ prisma, workerId }) {
    const r = await runLedgerVerification({ prisma, trigger: "schedule", actor: workerId });
    if (!r.ok)
      console.error(
        `[residency] ledger BROKEN at seq ${r.brokenAt.seq} (${r.brokenAt.problem}); reports are marked until a full verification passes`,
      );
  },
};
