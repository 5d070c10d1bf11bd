import { deleteSigningKey } from "@/lib/teams/signing-keys";
import { apiRoute } from "@/app/_server/api";

export const DELETE = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => ({
  deleted: true,
  ...(await deleteSigningKey({ prisma, principal, teamSlug: slug, keyId: id, meta })),
}));
