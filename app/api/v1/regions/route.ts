import { createRegion, listRegions } from "@/lib/catalog/catalog";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma }) => ({ regions: await listRegions({ prisma, activeOnly: true }) }));

export const POST = apiRoute(async ({ prisma, principal, meta, req }) => {
  const region = await createRegion({ prisma, principal, input: await readJsonBody(req), meta });
  return Response.json(region, { status: 201 });
});
