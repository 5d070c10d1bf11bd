import type { Principal } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";

/** The teams a principal can see, with its role in each. Admins see every team. */
export async function listTeams(opts: { prisma: PrismaClient; principal: Principal }) {
  const { prisma, principal } = opts;
  if (principal.kind === "token") {
    const team = await prisma.team.findUniqueOrThrow({ where: { id: principal.teamId } });
    return [{ team, role: principal.role }];
  }
  if (principal.isAdmin) {
    const teams = await prisma.team.findMany({ orderBy: { name: "asc" } });
    const mine = new Map((await prisma.membership.findMany({ where: { userId: principal.userId } })).map((m) => [m.teamId, m.role]));
    return teams.map((team) => ({ team, role: mine.get(team.id) ?? ("OWNER" as const) }));
  }
  const memberships = await prisma.membership.findMany({
    where: { userId: principal.userId },
    include: { team: true },
    orderBy: { team: { name: "asc" } },
  });
  return memberships.map((m) => ({ team: m.team, role: m.role }));
}

export async function listMembers(opts: { prisma: PrismaClient; teamId: string }) {
  return opts.prisma.membership.findMany({
    where: { teamId: opts.teamId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
}
