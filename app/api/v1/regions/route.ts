import { readPageQuery } from "@/lib/core/pagination";
import { createRegion, listRegions, RegionInput } from "@/lib/catalog/catalog";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, req }) =>
  listRegions({ prisma, activeOnly: true, page: readPageQuery(req.nextUrl.searchParams) }),
);

export const POST = apiRoute({ role: "admin", body: RegionInput }, async ({ prisma, principal, meta, body }) => {
  const region = await createRegion({ prisma, principal, input: body, meta });
  return Response.json(region, { status: 201 });
});
