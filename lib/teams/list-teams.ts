import type { Principal } from "../access/principal";
import { findPage, listOrder, mapPage, type PageRequest } from "../core/pagination";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";

const TEAM_ORDER = listOrder<Prisma.TeamWhereInput, Prisma.TeamOrderByWithRelationInput>("teams", [
  { field: "name", dir: "asc", kind: "text" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the teams a principal can see, by name, with its role in each. Admins see every team. */
export async function listTeams(opts: { prisma: PrismaClient; principal: Principal; page: PageRequest }) {
  const { prisma, principal } = opts;
  const where: Prisma.TeamWhereInput =
    principal.kind === "token"
      ? { id: principal.teamId }
      : principal.isAdmin
        ? {}
        : { memberships: { some: { userId: principal.userId } } };
  const page = await findPage({ order: TEAM_ORDER, page: opts.page, where, find: (query) => prisma.team.findMany(query) });
  if (principal.kind === "token") return mapPage(page, (team) => ({ team, role: principal.role }));
  const memberships = await prisma.membership.findMany({
    where: { userId: principal.userId, teamId: { in: page.items.map((t) => t.id) } },
    select: { teamId: true, role: true },
  });
  const mine = new Map(memberships.map((m) => [m.teamId, m.role]));
  // An admin sees a team it is not a member of as its owner would.
  return mapPage(page, (team) => ({ team, role: mine.get(team.id) ?? ("OWNER" as Role) }));
}

const MEMBER_ORDER = listOrder<Prisma.MembershipWhereInput, Prisma.MembershipOrderByWithRelationInput>("members", [
  { field: "createdAt", dir: "asc", kind: "time" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the team's members with their user, in the order they joined. */
export async function listMembers(opts: { prisma: PrismaClient; teamId: string; page: PageRequest }) {
  return findPage({
    order: MEMBER_ORDER,
    page: opts.page,
    where: { teamId: opts.teamId },
    find: (query) => opts.prisma.membership.findMany({ ...query, include: { user: { select: { id: true, email: true, name: true } } } }),
  });
}
