import { readJsonBody } from "@/lib/core/validation";
import { addSigningKey, listSigningKeys } from "@/lib/teams/signing-keys";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => ({
  keys: await listSigningKeys({ prisma, principal, teamSlug: slug }),
}));

/** Owners: register a cosign public key; the team's ready clusters get the updated admission policy. */
export const POST = apiRoute<{ slug: string }>(async ({ prisma, principal, meta, req }, { slug }) => {
  const created = await addSigningKey({ prisma, principal, teamSlug: slug, input: await readJsonBody(req), meta });
  return Response.json(created, { status: 201 });
});
