import { AppError } from "../core/errors";
import { randomToken, sha256Hex } from "../core/secrets";
import type { PrismaClient } from "../generated/prisma/client";
import type { Principal } from "../access/principal";

export const SESSION_COOKIE = "skjold_session";
const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export async function createSession(opts: {
  prisma: PrismaClient;
  userId: string;
  mfaVerified: boolean;
  ip?: string | null;
  userAgent?: string | null;
}): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await opts.prisma.session.create({
    data: {
      tokenHash: sha256Hex(token),
      userId: opts.userId,
      mfaVerified: opts.mfaVerified,
      ip: opts.ip?.slice(0, 64) ?? null,
      userAgent: opts.userAgent?.slice(0, 256) ?? null,
      expiresAt,
    },
  });
  return { token, expiresAt };
}

export type SessionLookup =
  | { state: "none" }
  | { state: "needs-second-factor"; sessionId: string; userId: string }
  | { state: "active"; principal: Extract<Principal, { kind: "user" }> };

export async function lookupSession(opts: { prisma: PrismaClient; token: string | undefined }): Promise<SessionLookup> {
  if (!opts.token || opts.token.length > 128) return { state: "none" };
  const session = await opts.prisma.session.findUnique({
    where: { tokenHash: sha256Hex(opts.token) },
    include: { user: true },
  });
  const now = Date.now();
  if (!session || session.expiresAt.getTime() <= now || session.user.disabledAt) return { state: "none" };
  if (!session.mfaVerified) return { state: "needs-second-factor", sessionId: session.id, userId: session.userId };
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await opts.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  const u = session.user;
  return {
    state: "active",
    principal: { kind: "user", userId: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, locale: u.locale, sessionId: session.id },
  };
}

export async function revokeSession(opts: { prisma: PrismaClient; token: string }): Promise<void> {
  await opts.prisma.session.deleteMany({ where: { tokenHash: sha256Hex(opts.token) } });
}

/** "Sign out everywhere": every session of the user ends, this one included. */
export async function revokeAllSessions(opts: { prisma: PrismaClient; userId: string }): Promise<number> {
  const r = await opts.prisma.session.deleteMany({ where: { userId: opts.userId } });
  return r.count;
}

export async function markSecondFactorVerified(opts: { prisma: PrismaClient; token: string }): Promise<void> {
  const r = await opts.prisma.session.updateMany({ where: { tokenHash: sha256Hex(opts.token) }, data: { mfaVerified: true } });
  if (r.count !== 1) throw new AppError("UNAUTHENTICATED", "Your sign-in has expired. Sign in again.", { key: "error.signIn.expired" });
}
