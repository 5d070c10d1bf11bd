import { acknowledgeLedgerBreak } from "@/lib/residency";
import { AcknowledgeBreakInput } from "@/lib/residency/acknowledge-break";
import { apiRoute } from "@/app/_server/api";

/** {reason}: stops the alarm for the current break (audited); reports stay marked until a verification passes. */
export const POST = apiRoute({ role: "admin", body: AcknowledgeBreakInput }, async ({ prisma, principal, meta, body }) =>
  acknowledgeLedgerBreak({ prisma, principal, input: body, meta }),
);
