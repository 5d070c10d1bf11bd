import { createPlan, listPlans } from "@/lib/catalog/catalog";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma }) => ({ plans: await listPlans({ prisma, activeOnly: true }) }));

export const POST = apiRoute(async ({ prisma, principal, meta, req }) => {
  const plan = await createPlan({ prisma, principal, input: await readJsonBody(req), meta });
  return Response.json(plan, { status: 201 });
});
