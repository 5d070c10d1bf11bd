-- Residency ledger verifications: one append-only row per run, so a report can state which
-- verification covers its ledger head, and the portal can raise an alarm while the chain is broken.
-- CreateEnum
CREATE TYPE "LedgerVerificationKind" AS ENUM ('FULL', 'TAIL');

-- CreateTable
CREATE TABLE "LedgerVerification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "LedgerVerificationKind" NOT NULL,
    "trigger" TEXT NOT NULL,
    "actor" TEXT,
    "fromSeq" BIGINT NOT NULL,
    "throughSeq" BIGINT NOT NULL,
    "throughHash" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "brokenSeq" BIGINT,
    "problem" TEXT,
    "expected" TEXT,
    "found" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LedgerVerification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LedgerVerification_ok_finishedAt_idx" ON "LedgerVerification"("ok", "finishedAt");

-- CreateIndex
CREATE INDEX "LedgerVerification_ok_throughSeq_idx" ON "LedgerVerification"("ok", "throughSeq");

-- A verification is evidence: append-only like the ledger it checks.
CREATE TRIGGER "LedgerVerification_append_only" BEFORE UPDATE OR DELETE ON "LedgerVerification"
  FOR EACH ROW EXECUTE FUNCTION skjold_reject_change();
