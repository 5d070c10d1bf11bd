import { findReportExport } from "@/lib/residency/report-response";
import { apiRoute } from "@/app/_server/api";

/** What the portal recorded about one completed platform export: its SHA-256, size and ledger head. */
export const GET = apiRoute<{ id: string }>({ role: "admin" }, async ({ prisma }, { id }) =>
  findReportExport({ prisma, reportId: id, teamId: null }),
);
