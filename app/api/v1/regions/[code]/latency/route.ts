import { regionLatencyReport } from "@/lib/latency/region-report";
import { apiRoute } from "@/app/_server/api";

// Current latency of one region to every configured exchange target: any signed-in user or API token.
export const GET = apiRoute<{ code: string }>(async ({ prisma, principal }, { code }) =>
  regionLatencyReport({ prisma, code, includeInactive: principal.kind === "user" && principal.isAdmin }),
);
