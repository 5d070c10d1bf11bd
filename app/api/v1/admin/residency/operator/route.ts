import { actorOf } from "@/lib/audit/record-audit";
import { readJsonBody } from "@/lib/core/validation";
import { getOperatorDetails } from "@/lib/residency";
import { changeOperatorDetails } from "@/lib/residency/operator-settings";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ role: "admin" }, async ({ prisma }) => ({ operator: await getOperatorDetails({ prisma }) }));

/**
 * Saves the processor details the reports print (flat fields, as the admin form sends them). The body
 * is not declared: OperatorFormSchema turns the security-measures text into a list, so its output would
 * not pass the same schema again in changeOperatorDetails, which parses the raw form itself.
 */
export const PUT = apiRoute({ role: "admin" }, async ({ prisma, principal, meta, req }) => ({
  operator: await changeOperatorDetails({ prisma, input: await readJsonBody(req), actor: actorOf(principal), meta }),
}));
