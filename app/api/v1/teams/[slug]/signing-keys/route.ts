import { readPageQuery } from "@/lib/core/pagination";
import { addSigningKey, AddSigningKeyInput, listSigningKeys } from "@/lib/teams/signing-keys";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal, req }, { slug }) =>
  listSigningKeys({ prisma, principal, teamSlug: slug, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Owners: register a cosign public key; the team's ready clusters get the updated admission policy. */
export const POST = apiRoute({ body: AddSigningKeyInput }, async ({ prisma, principal, meta, body }, { slug }: { slug: string }) => {
  const created = await addSigningKey({ prisma, principal, teamSlug: slug, input: body, meta });
  return Response.json(created, { status: 201 });
});
