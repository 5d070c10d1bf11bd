import { mapPage, readPageQuery } from "@/lib/core/pagination";
import { createTeam } from "@/lib/teams/create-team";
import { listTeams } from "@/lib/teams/list-teams";
import { CreateTeamInput } from "@/lib/teams/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal, req }) => {
  const teams = await listTeams({ prisma, principal, page: readPageQuery(req.nextUrl.searchParams) });
  return mapPage(teams, ({ team, role }) => ({ slug: team.slug, name: team.name, role, residencyPolicy: team.residencyPolicy }));
});

export const POST = apiRoute({ role: "admin", body: CreateTeamInput }, async ({ prisma, principal, meta, body }) => {
  const team = await createTeam({ prisma, principal, input: body, meta });
  return Response.json({ slug: team.slug, name: team.name, id: team.id }, { status: 201 });
});
