import { readPageQuery } from "@/lib/core/pagination";
import { readJsonBody } from "@/lib/core/validation";
import { createIpPool } from "@/lib/network/create-ip-pool";
import { listIpPools } from "@/lib/network/list-ip-pools";
import { apiRoute } from "@/app/_server/api";

/** A page of the pools with their use (held, quarantined, free, capacity); `?region=osl1` for one region's. */
export const GET = apiRoute(async ({ prisma, principal, req }) =>
  listIpPools({
    prisma,
    principal,
    regionCode: req.nextUrl.searchParams.get("region") ?? undefined,
    page: readPageQuery(req.nextUrl.searchParams),
  }),
);

/** 201 with the pool; 422 naming each field to fix (overlap, gateway outside, prefix too small…), nothing stored. */
export const POST = apiRoute(async ({ prisma, principal, meta, req }) => {
  const pool = await createIpPool({ prisma, principal, meta, input: await readJsonBody(req, 16 * 1024) });
  return Response.json({ pool }, { status: 201, headers: { "cache-control": "no-store" } });
});
