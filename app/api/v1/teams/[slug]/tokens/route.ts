import { readPageQuery } from "@/lib/core/pagination";
import { CreateApiTokenInput, createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "manage" }, async ({ prisma, req, team: { team } }, _: { slug: string }) =>
  listApiTokens({ prisma, teamId: team.id, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Owners only, from a browser session; the token is in this response and nowhere else, ever. */
export const POST = apiRoute(
  { role: "user", body: CreateApiTokenInput },
  async ({ prisma, principal, meta, body }, { slug }: { slug: string }) => {
    const created = await createApiToken({ prisma, principal, teamSlug: slug, input: body, meta });
    return Response.json(created, { status: 201 });
  },
);
