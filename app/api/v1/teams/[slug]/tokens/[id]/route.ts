import { z } from "zod";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { notFound } from "@/lib/core/errors";
import { apiRoute } from "@/app/_server/api";

export const DELETE = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("Token not found");
  await revokeApiToken({ prisma, principal, teamSlug: slug, tokenId: id, meta });
  return { revoked: true };
});
