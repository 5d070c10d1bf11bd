import { readPageQuery } from "@/lib/core/pagination";
import { createPlan, listPlans, PlanInput } from "@/lib/catalog/catalog";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, req }) =>
  listPlans({ prisma, activeOnly: true, page: readPageQuery(req.nextUrl.searchParams) }),
);

export const POST = apiRoute({ role: "admin", body: PlanInput }, async ({ prisma, principal, meta, body }) => {
  const plan = await createPlan({ prisma, principal, input: body, meta });
  return Response.json(plan, { status: 201 });
});
