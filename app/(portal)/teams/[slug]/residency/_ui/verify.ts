import type { ActionState } from "@/app/_server/actions";
import type { LedgerVerification } from "@/lib/residency";

/** A verification result as the message the verify button shows: OK with the head, or the first broken link. */
export function verificationMessage(v: LedgerVerification): ActionState {
  if (v.ok) return { ok: true, message: `Ledger OK: ${v.count} entries chain correctly. Head #${v.head.seq} ${v.head.hash}` };
  const b = v.brokenAt;
  return {
    ok: false,
    error: `Ledger BROKEN at entry #${b.seq} (${b.problem}): expected ${b.expected}, found ${b.found}. ${v.count} entries before it verified.`,
  };
}
