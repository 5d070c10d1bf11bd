import { readJsonBody } from "@/lib/core/validation";
import { addLatencyTarget, listLatencyTargets } from "@/lib/latency/admin";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal }) => ({ targets: await listLatencyTargets({ prisma, principal }) }));

export const POST = apiRoute(async ({ prisma, principal, meta, req }) => {
  const target = await addLatencyTarget({ prisma, principal, meta, input: await readJsonBody(req) });
  return Response.json(target, { status: 201, headers: { "cache-control": "no-store" } });
});
