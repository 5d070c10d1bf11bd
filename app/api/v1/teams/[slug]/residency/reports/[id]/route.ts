import { requireTeam } from "@/lib/access/team-access";
import { findReportExport } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** What the portal recorded about one completed export (X-Skjold-Report-Id): its SHA-256, size and ledger head. */
export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal }, { slug, id }) => {
  const { team } = await requireTeam({ prisma, principal, slug, need: "audit" });
  return findReportExport({ prisma, reportId: id, teamId: team.id });
});
