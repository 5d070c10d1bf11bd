import { readPageQuery } from "@/lib/core/pagination";
import { createPrivateNetwork } from "@/lib/network/private/create-private-network";
import { listPrivateNetworks } from "@/lib/network/private/list-private-networks";
import { CreatePrivateNetworkInput } from "@/lib/network/private/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "read" }, async ({ prisma, principal, req }, { slug }: { slug: string }) =>
  listPrivateNetworks({ prisma, principal, teamSlug: slug, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Members: a new private network in a region (its VNI chosen by Skjold). */
export const POST = apiRoute(
  { team: "operate", body: CreatePrivateNetworkInput },
  async ({ prisma, principal, meta, body }, { slug }: { slug: string }) =>
    Response.json(await createPrivateNetwork({ prisma, principal, teamSlug: slug, input: body, meta }), { status: 201 }),
);
