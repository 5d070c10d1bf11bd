import { readPageQuery } from "@/lib/core/pagination";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { apiRoute } from "@/app/_server/api";

/** A page of the log, newest first; `?action=` (prefix), `?actor=`, `?teamId=` filter it. */
export const GET = apiRoute({ role: "admin" }, async ({ prisma, req }) =>
  listAuditEvents({ prisma, filter: Object.fromEntries(req.nextUrl.searchParams), page: readPageQuery(req.nextUrl.searchParams) }),
);
