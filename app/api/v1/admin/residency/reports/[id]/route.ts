import { requireAdmin } from "@/lib/access/team-access";
import { findReportExport } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** What the portal recorded about one completed platform export: its SHA-256, size and ledger head. */
export const GET = apiRoute<{ id: string }>(async ({ prisma, principal }, { id }) => {
  requireAdmin(principal);
  return findReportExport({ prisma, reportId: id, teamId: null });
});
