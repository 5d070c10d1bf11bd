import { z } from "zod";
import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { AppError, fromZod } from "../core/errors";
import { safeText } from "../core/validation";
import type { PrismaClient } from "../generated/prisma/client";
import { ACKNOWLEDGE_ACTION, readLedgerIntegrity, type LedgerIntegrity } from "./integrity";

// A platform admin who has dealt with a broken ledger (restored the entry from a backup and is
// waiting for the next verification, or found that it cannot be restored) says so with a reason.
// That stops the alarm for this break only; reports and pages keep stating the break, with the
// reason, until a full verification passes. A different break raises the alarm again.

export const AcknowledgeBreakInput = z.strictObject({ reason: safeText(500, 10) });

export async function acknowledgeLedgerBreak(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
}): Promise<LedgerIntegrity> {
  const { prisma, principal } = opts;
  requireAdmin(principal);
  const parsed = AcknowledgeBreakInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid acknowledgement");
  const state = await readLedgerIntegrity({ prisma });
  if (state.status !== "broken")
    throw new AppError("CONFLICT", "The ledger is not known to be broken: there is nothing to acknowledge.", {
      key: "error.residency.notBroken",
    });
  await recordAudit({
    prisma,
    action: ACKNOWLEDGE_ACTION,
    ...actorOf(principal),
    targetType: "ledger-verification",
    targetId: state.verificationId,
    details: { seq: state.brokenAt.seq, problem: state.brokenAt.problem, found: state.brokenAt.found, reason: parsed.data.reason },
    meta: opts.meta,
  });
  return readLedgerIntegrity({ prisma });
}
