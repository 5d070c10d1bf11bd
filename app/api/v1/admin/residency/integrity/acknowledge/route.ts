import { readJsonBody } from "@/lib/core/validation";
import { acknowledgeLedgerBreak } from "@/lib/residency";
import { apiRoute } from "@/app/_server/api";

/** {reason}: stops the alarm for the current break (audited); reports stay marked until a verification passes. */
export const POST = apiRoute(async ({ prisma, principal, meta, req }) => {
  return acknowledgeLedgerBreak({ prisma, principal, input: await readJsonBody(req), meta });
});
