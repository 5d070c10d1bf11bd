import { actorOf } from "@/lib/audit/record-audit";
import { parseReportQuery } from "@/lib/residency/report-query";
import { createReportResponse } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** The team's residency report, streamed: ?format=csv|json|pdf&asOf=YYYY-MM-DD|ISO time&since=… */
export const GET = apiRoute({ team: "audit" }, async ({ prisma, principal, meta, req, team: { team } }, _: { slug: string }) => {
  const query = parseReportQuery({ params: req.nextUrl.searchParams });
  return createReportResponse({ prisma, query, team, actor: actorOf(principal), meta });
});
