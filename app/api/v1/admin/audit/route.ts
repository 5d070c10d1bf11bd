import { listAuditEvents } from "@/lib/audit/list-audit";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ role: "admin" }, async ({ prisma, req }) =>
  listAuditEvents({ prisma, filter: Object.fromEntries(req.nextUrl.searchParams) }),
);
