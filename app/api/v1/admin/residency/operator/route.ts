import { requireAdmin } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { readJsonBody } from "@/lib/core/validation";
import { getOperatorDetails } from "@/lib/residency";
import { changeOperatorDetails } from "@/lib/residency/operator-settings";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal }) => {
  requireAdmin(principal);
  return { operator: await getOperatorDetails({ prisma }) };
});

/** Saves the processor details the reports print (flat fields, as the admin form sends them). */
export const PUT = apiRoute(async ({ prisma, principal, meta, req }) => {
  requireAdmin(principal);
  return { operator: await changeOperatorDetails({ prisma, input: await readJsonBody(req), actor: actorOf(principal), meta }) };
});
