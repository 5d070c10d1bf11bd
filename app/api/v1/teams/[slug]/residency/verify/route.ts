import { requireTeam } from "@/lib/access/team-access";
import { verifyLedger } from "@/lib/residency";
import { apiRoute } from "@/app/_server/api";

/** Recomputes the whole ledger chain (it is one chain for all teams) and names the first broken link. */
export const POST = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => {
  await requireTeam({ prisma, principal, slug, need: "audit" });
  return verifyLedger({ prisma });
});
