import { actorOf } from "@/lib/audit/record-audit";
import { changePortalLocation, PortalLocationInputSchema } from "@/lib/residency/portal-location";
import { apiRoute } from "@/app/_server/api";

/** Moves the portal's location ({regionCode, hostName?}); every team's portal-held data moves in the ledger. */
export const PUT = apiRoute({ role: "admin", body: PortalLocationInputSchema }, async ({ prisma, principal, meta, body }) =>
  changePortalLocation({ prisma, input: body, actor: actorOf(principal), meta }),
);
