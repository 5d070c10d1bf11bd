import "server-only";
import { randomUUID } from "node:crypto";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Principal, RequestMeta } from "@/lib/access/principal";
import { lookupSession, SESSION_COOKIE } from "@/lib/auth/session";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";

export type UserPrincipal = Extract<Principal, { kind: "user" }>;

export const requestMeta = cache(async (): Promise<RequestMeta> => {
  const h = await headers();
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || h.get("x-real-ip") || null,
    userAgent: h.get("user-agent"),
    correlationId: h.get("x-request-id") ?? randomUUID(),
  };
});

export const currentSession = cache(async () => {
  const jar = await cookies();
  return lookupSession({ prisma: await getPrisma(), token: jar.get(SESSION_COOKIE)?.value });
});

export async function currentUser(): Promise<UserPrincipal | null> {
  const s = await currentSession();
  return s.state === "active" ? s.principal : null;
}

/** For pages: the signed-in user, or a redirect to sign-in (or to the second factor). */
export async function requireUser(): Promise<UserPrincipal> {
  const s = await currentSession();
  if (s.state === "needs-second-factor") redirect("/sign-in/verify");
  if (s.state !== "active") redirect("/sign-in");
  return s.principal;
}

export function sessionCookieOptions(expiresAt: Date) {
  const secure = (process.env.SKJOLD_PUBLIC_URL ?? "").startsWith("https://");
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", expires: expiresAt };
}

/** For `.catch(…)` on a page's lookup: a NOT_FOUND from lib/ renders the 404 page; anything else propagates. */
export function notFoundIfMissing(e: unknown): never {
  if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
  throw e;
}
