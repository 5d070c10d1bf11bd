import { actorOf } from "@/lib/audit/record-audit";
import { parseReportQuery } from "@/lib/residency/report-query";
import { createReportResponse } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** The platform-wide residency report, streamed: ?format=csv|json|pdf&asOf=…&since=… (each delivery is recorded, as an access log). */
export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal, meta, req }) => {
  const query = parseReportQuery({ params: req.nextUrl.searchParams });
  return createReportResponse({ prisma, query, actor: actorOf(principal), meta });
});
