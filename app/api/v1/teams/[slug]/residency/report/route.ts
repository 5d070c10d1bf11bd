import { requireTeam } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { parseReportQuery } from "@/lib/residency/report-query";
import { createReportResponse } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** The team's residency report, streamed: ?format=csv|json|pdf&asOf=YYYY-MM-DD|ISO time&since=… */
export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal, meta, req }, { slug }) => {
  const { team } = await requireTeam({ prisma, principal, slug, need: "audit" });
  const query = parseReportQuery({ params: req.nextUrl.searchParams });
  return createReportResponse({ prisma, query, team, actor: actorOf(principal), meta });
});
