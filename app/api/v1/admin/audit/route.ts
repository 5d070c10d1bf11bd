import { requireAdmin } from "@/lib/access/team-access";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal, req }) => {
  requireAdmin(principal);
  return listAuditEvents({ prisma, filter: Object.fromEntries(req.nextUrl.searchParams) });
});
