import { findReportExport } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** What the portal recorded about one completed export (X-Skjold-Report-Id): its SHA-256, size and ledger head. */
export const GET = apiRoute({ team: "audit" }, async ({ prisma, team: { team } }, { id }: { slug: string; id: string }) =>
  findReportExport({ prisma, reportId: id, teamId: team.id }),
);
