import { requireAdmin } from "@/lib/access/team-access";
import { verifyLedger } from "@/lib/residency";
import { apiRoute } from "@/app/_server/api";

/** Recomputes the ledger's hash chain: { ok, count, head } or { ok: false, brokenAt }. */
export const POST = apiRoute(async ({ prisma, principal }) => {
  requireAdmin(principal);
  return verifyLedger({ prisma });
});
