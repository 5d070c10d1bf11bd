import { requireAdmin } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { parseReportQuery } from "@/lib/residency/report-query";
import { createReportResponse } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** The platform-wide residency report, streamed: ?format=csv|json|pdf&asOf=…&since=… */
export const GET = apiRoute(async ({ prisma, principal, meta, req }) => {
  requireAdmin(principal);
  const query = parseReportQuery({ params: req.nextUrl.searchParams });
  return createReportResponse({ prisma, query, actor: actorOf(principal), meta });
});
