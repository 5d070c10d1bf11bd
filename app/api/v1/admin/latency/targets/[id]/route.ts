import { editLatencyTarget, removeLatencyTarget } from "@/lib/latency/admin";
import { LatencyTargetUpdateSchema } from "@/lib/latency/schemas";
import { apiRoute } from "@/app/_server/api";

export const PATCH = apiRoute(
  { role: "admin", body: LatencyTargetUpdateSchema },
  async ({ prisma, principal, meta, body }, { id }: { id: string }) => editLatencyTarget({ prisma, principal, meta, id, input: body }),
);

export const DELETE = apiRoute<{ id: string }>({ role: "admin" }, async ({ prisma, principal, meta }, { id }) => {
  await removeLatencyTarget({ prisma, principal, meta, id });
  return new Response(null, { status: 204 });
});
