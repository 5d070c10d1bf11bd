import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Principal, RequestMeta } from "../access/principal";
import { revokeAllSessions } from "../auth/session";
import { generateTotpSecret, totpUri, verifyTotp } from "../auth/totp";
import { AppError, fromZod } from "../core/errors";
import { decryptSecret, encryptSecret } from "../core/secrets";
import { password } from "../core/validation";
import type { PrismaClient } from "../generated/prisma/client";

type UserPrincipal = Extract<Principal, { kind: "user" }>;

export async function changePassword(opts: { prisma: PrismaClient; principal: UserPrincipal; input: unknown; meta?: RequestMeta }) {
  const p = z.object({ current: z.string().max(256), next: password }).safeParse(opts.input);
  if (!p.success) throw fromZod(p.error, "Password");
  const user = await opts.prisma.user.findUniqueOrThrow({ where: { id: opts.principal.userId } });
  if (!(await verifyPassword(user.passwordHash, p.data.current)))
    throw new AppError("VALIDATION", "Your current password is not correct.", { key: "error.account.wrongPassword" });
  await opts.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(p.data.next) } });
  // Other sessions end: whoever knew the old password is signed out.
  await opts.prisma.session.deleteMany({ where: { userId: user.id, id: { not: opts.principal.sessionId } } });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "user.password.change",
    targetType: "user",
    targetId: user.id,
    meta: opts.meta,
  });
}

export async function setLocale(opts: { prisma: PrismaClient; principal: UserPrincipal; locale: string }) {
  const p = z.enum(["en", "nb"]).safeParse(opts.locale);
  if (!p.success) throw fromZod(p.error, "Language");
  await opts.prisma.user.update({ where: { id: opts.principal.userId }, data: { locale: p.data } });
}

/** Step 1 of TOTP enrolment: a fresh secret, stored encrypted but not yet enabled. */
export async function beginTotpEnrolment(opts: { prisma: PrismaClient; principal: UserPrincipal }) {
  if (!opts.principal.isAdmin)
    throw new AppError("FORBIDDEN", "Two-factor sign-in is available to platform admins.", { key: "error.account.totpAdminsOnly" });
  const secret = generateTotpSecret();
  await opts.prisma.user.update({
    where: { id: opts.principal.userId },
    data: { totpSecretEnc: encryptSecret(secret), totpEnabled: false },
  });
  return { secret, uri: totpUri(secret, opts.principal.email) };
}

/** Step 2: a correct code from the authenticator turns it on. */
export async function confirmTotpEnrolment(opts: { prisma: PrismaClient; principal: UserPrincipal; code: string; meta?: RequestMeta }) {
  const user = await opts.prisma.user.findUniqueOrThrow({ where: { id: opts.principal.userId } });
  if (!user.totpSecretEnc) throw new AppError("CONFLICT", "Start two-factor setup first.", { key: "error.account.totpStartFirst" });
  if (!verifyTotp(decryptSecret(user.totpSecretEnc), opts.code.trim()))
    throw new AppError("VALIDATION", "That code is not valid. Check your authenticator's clock and try again.", {
      key: "error.code.invalid",
    });
  await opts.prisma.user.update({ where: { id: user.id }, data: { totpEnabled: true } });
  await opts.prisma.session.updateMany({ where: { userId: user.id }, data: { mfaVerified: true } });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "user.totp.enable",
    targetType: "user",
    targetId: user.id,
    meta: opts.meta,
  });
}

export async function signOutEverywhere(opts: { prisma: PrismaClient; principal: UserPrincipal; meta?: RequestMeta }) {
  const n = await revokeAllSessions({ prisma: opts.prisma, userId: opts.principal.userId });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "auth.sign_out_everywhere",
    targetType: "user",
    targetId: opts.principal.userId,
    details: { sessions: n },
    meta: opts.meta,
  });
  return n;
}
