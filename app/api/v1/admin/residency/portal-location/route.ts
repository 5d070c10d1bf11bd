import { requireAdmin } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { readJsonBody } from "@/lib/core/validation";
import { changePortalLocation } from "@/lib/residency/portal-location";
import { apiRoute } from "@/app/_server/api";

/** Moves the portal's location ({regionCode, hostName?}); every team's portal-held data moves in the ledger. */
export const PUT = apiRoute(async ({ prisma, principal, meta, req }) => {
  requireAdmin(principal);
  return changePortalLocation({ prisma, input: await readJsonBody(req), actor: actorOf(principal), meta });
});
