import type { ActionState } from "@/components/action-state";
import type { LedgerVerification } from "@/lib/residency";
import type { T } from "@/app/_i18n/server";

/** A verification result as the message the verify button shows: OK with the head, or the first broken link. */
export function verificationMessage(t: T, v: LedgerVerification): ActionState {
  if (v.ok) return { ok: true, message: t("residency.ledgerOk", { count: v.count, seq: v.head.seq, hash: v.head.hash }) };
  const b = v.brokenAt;
  return {
    ok: false,
    error: t("residency.ledgerBroken", { seq: b.seq, problem: b.problem, expected: b.expected, found: b.found, count: v.count }),
  };
}
