import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireTeam } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { ChangeRoleInput } from "./schemas";

async function assertNotLastOwner(prisma: PrismaClient, teamId: string, userId: string) {
  const owners = await prisma.membership.findMany({ where: { teamId, role: "OWNER" }, select: { userId: true } });
  if (owners.length === 1 && owners[0]!.userId === userId) {
    throw new AppError("CONFLICT", "A team needs at least one owner. Make someone else owner first.", { key: "error.team.lastOwner" });
  }
}

export async function changeMemberRole(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "manage" });
  const parsed = ChangeRoleInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Role change");
  const { userId, role } = parsed.data;
  const m = await opts.prisma.membership.findUnique({ where: { userId_teamId: { userId, teamId: team.id } } });
  if (!m) throw new AppError("NOT_FOUND", "That person is not a member of this team.", { key: "error.team.notMember" });
  if (m.role === "OWNER" && role !== "OWNER") await assertNotLastOwner(opts.prisma, team.id, userId);
  await opts.prisma.membership.update({ where: { id: m.id }, data: { role } });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "team.member.role",
    teamId: team.id,
    targetType: "user",
    targetId: userId,
    details: { from: m.role, to: role },
    meta: opts.meta,
  });
}

export async function removeMember(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  userId: string;
  meta?: RequestMeta;
}) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "manage" });
  const m = await opts.prisma.membership.findFirst({ where: { teamId: team.id, userId: opts.userId } });
  if (!m) throw new AppError("NOT_FOUND", "That person is not a member of this team.", { key: "error.team.notMember" });
  if (m.role === "OWNER") await assertNotLastOwner(opts.prisma, team.id, opts.userId);
  await opts.prisma.membership.delete({ where: { id: m.id } });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "team.member.remove",
    teamId: team.id,
    targetType: "user",
    targetId: opts.userId,
    meta: opts.meta,
  });
}
