import { mapPage, readPageQuery } from "@/lib/core/pagination";
import { inviteMember } from "@/lib/teams/invitations";
import { listMembers } from "@/lib/teams/list-teams";
import { InviteMemberInput } from "@/lib/teams/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "read" }, async ({ prisma, req, team: { team } }, _: { slug: string }) => {
  const members = await listMembers({ prisma, teamId: team.id, page: readPageQuery(req.nextUrl.searchParams) });
  return mapPage(members, (m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role }));
});

/** Invites an email with a role; the response carries the one-time invitation path. */
export const POST = apiRoute({ body: InviteMemberInput }, async ({ prisma, principal, meta, body }, { slug }: { slug: string }) => {
  const { invitation, path } = await inviteMember({ prisma, principal, teamSlug: slug, input: body, meta });
  return Response.json(
    { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt, path },
    { status: 201 },
  );
});
