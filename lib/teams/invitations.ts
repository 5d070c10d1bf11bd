import { actorOf, recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { Principal, RequestMeta } from "../access/principal";
import { requireTeam } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { randomToken, sha256Hex } from "../core/secrets";
import type { PrismaClient } from "../generated/prisma/client";
import { AcceptInvitationInput, InviteMemberInput } from "./schemas";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * An owner invites an email address with a role. The link carries a one-time token (stored
 * hashed) and is shown once to the inviter: Skjold sends no mail, the inviter passes it on.
 */
export async function inviteMember(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "manage" });
  const parsed = InviteMemberInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invitation");
  const { email, role } = parsed.data;
  const existing = await opts.prisma.membership.findFirst({ where: { teamId: team.id, user: { email } } });
  if (existing)
    throw new AppError("CONFLICT", `${email} is already a member of ${team.name}.`, {
      key: "error.invite.alreadyMember",
      params: { email, team: team.name },
    });
  const token = randomToken(24);
  const invitation = await opts.prisma.invitation.create({
    data: {
      teamId: team.id,
      email,
      role,
      tokenHash: sha256Hex(token),
      invitedById: opts.principal.userId,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    },
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "team.invite",
    teamId: team.id,
    targetType: "invitation",
    targetId: invitation.id,
    details: { email, role },
    meta: opts.meta,
  });
  return { invitation, token, path: `/invite/${token}` };
}

export async function findInvitation(opts: { prisma: PrismaClient; token: string }) {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(opts.token)) return null;
  const inv = await opts.prisma.invitation.findUnique({ where: { tokenHash: sha256Hex(opts.token) }, include: { team: true } });
  if (!inv || inv.acceptedAt || inv.expiresAt.getTime() < Date.now()) return null;
  const account = await opts.prisma.user.findUnique({ where: { email: inv.email }, select: { id: true } });
  return { invitation: inv, hasAccount: Boolean(account) };
}

/**
 * Accepts an invitation. A new address sets its name and password here; an existing account must
 * be the one signed in (the invitation is for that email only).
 */
export async function acceptInvitation(opts: { prisma: PrismaClient; input: unknown; signedInUserId?: string; meta?: RequestMeta }) {
  const parsed = AcceptInvitationInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invitation");
  const { token, name, password } = parsed.data;
  return opts.prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { team: true } });
    if (!inv || inv.acceptedAt || inv.expiresAt.getTime() < Date.now())
      throw new AppError("NOT_FOUND", "This invitation is not valid any more. Ask for a new one.", { key: "error.invite.invalid" });
    let user = await tx.user.findUnique({ where: { email: inv.email } });
    if (user) {
      if (user.id !== opts.signedInUserId)
        throw new AppError("UNAUTHENTICATED", `Sign in as ${inv.email} to accept this invitation.`, {
          key: "error.invite.signInAs",
          params: { email: inv.email },
        });
    } else {
      if (!name || !password)
        throw new AppError("VALIDATION", "Choose your name and a password of at least 12 characters.", {
          key: "error.invite.namePassword",
        });
      user = await tx.user.create({ data: { email: inv.email, name, passwordHash: await hashPassword(password) } });
    }
    await tx.membership.upsert({
      where: { userId_teamId: { userId: user.id, teamId: inv.teamId } },
      update: { role: inv.role },
      create: { userId: user.id, teamId: inv.teamId, role: inv.role },
    });
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: new Date() } });
    await recordAudit({
      prisma: tx,
      actorUserId: user.id,
      actorLabel: user.email,
      action: "team.invite.accept",
      teamId: inv.teamId,
      targetType: "membership",
      targetId: user.id,
      details: { role: inv.role },
      meta: opts.meta,
    });
    return { user, team: inv.team };
  });
}
