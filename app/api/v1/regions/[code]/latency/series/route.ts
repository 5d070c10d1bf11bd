import { regionLatencySeries } from "@/lib/latency/region-report";
import { apiRoute } from "@/app/_server/api";

// Chart points for one target: ?target=<id>&method=icmp|tcp&from=<ISO>&to=<ISO> (default: last 24 h).
export const GET = apiRoute<{ code: string }>(async ({ prisma, principal, req }, { code }) =>
  regionLatencySeries({
    prisma,
    code,
    includeInactive: principal.kind === "user" && principal.isAdmin,
    query: Object.fromEntries(req.nextUrl.searchParams),
  }),
);
