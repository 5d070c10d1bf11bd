import { readJsonBody } from "@/lib/core/validation";
import { getQuarantine } from "@/lib/network/get-quarantine";
import { setQuarantineSeconds } from "@/lib/network/set-quarantine";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal }) => getQuarantine({ prisma, principal }));

/** `{ quarantineSeconds }`, 0 to 90 days; addresses already resting keep the end they were given. */
export const PUT = apiRoute(async ({ prisma, principal, meta, req }) =>
  setQuarantineSeconds({ prisma, principal, meta, input: await readJsonBody(req, 1024) }),
);
