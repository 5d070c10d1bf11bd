import { readJsonBody } from "@/lib/core/validation";
import { editLatencyTarget, removeLatencyTarget } from "@/lib/latency/admin";
import { apiRoute } from "@/app/_server/api";

export const PATCH = apiRoute<{ id: string }>(async ({ prisma, principal, meta, req }, { id }) =>
  editLatencyTarget({ prisma, principal, meta, id, input: await readJsonBody(req) }),
);

export const DELETE = apiRoute<{ id: string }>(async ({ prisma, principal, meta }, { id }) => {
  await removeLatencyTarget({ prisma, principal, meta, id });
  return new Response(null, { status: 204 });
});
