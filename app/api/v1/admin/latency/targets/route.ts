import { readPageQuery } from "@/lib/core/pagination";
import { addLatencyTarget, listLatencyTargets } from "@/lib/latency/admin";
import { LatencyTargetInputSchema } from "@/lib/latency/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal, req }) =>
  listLatencyTargets({ prisma, principal, page: readPageQuery(req.nextUrl.searchParams) }),
);

export const POST = apiRoute({ role: "admin", body: LatencyTargetInputSchema }, async ({ prisma, principal, meta, body }) => {
  const target = await addLatencyTarget({ prisma, principal, meta, input: body });
  return Response.json(target, { status: 201, headers: { "cache-control": "no-store" } });
});
