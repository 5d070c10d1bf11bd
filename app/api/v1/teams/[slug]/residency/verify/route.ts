import { verifyTeamLedger } from "@/lib/residency";
import { apiRoute } from "@/app/_server/api";

/** Recomputes the whole ledger chain (it is one chain for all teams), records the run, and names the first broken link. */
export const POST = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => {
  return verifyTeamLedger({ prisma, principal, teamSlug: slug });
});
