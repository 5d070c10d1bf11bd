import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import type { Principal, RequestMeta } from "@/lib/access/principal";
import { lookupSession, SESSION_COOKIE } from "@/lib/auth/session";
import { AppError, toPublicError } from "@/lib/core/errors";
import { getPrisma, type PrismaClient } from "@/lib/db";

export interface ApiContext {
  prisma: PrismaClient;
  principal: Principal;
  meta: RequestMeta;
  req: NextRequest;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Bearer token first; a browser session cookie also works, with a same-origin check on writes. */
async function authenticate(req: NextRequest, prisma: PrismaClient): Promise<Principal> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const p = await authenticateApiToken({ prisma, header: auth });
    if (!p) throw new AppError("UNAUTHENTICATED", "The API token is missing, malformed, expired or revoked.");
    return p;
  }
  const s = await lookupSession({ prisma, token: req.cookies.get(SESSION_COOKIE)?.value });
  if (s.state !== "active") throw new AppError("UNAUTHENTICATED", "Sign in or send an API token as `Authorization: Bearer skj_…`.");
  if (UNSAFE.has(req.method)) {
    if (!sameOrigin(req)) throw new AppError("FORBIDDEN", "Cross-site request refused.");
  }
  return s.principal;
}

/** A cookie-authenticated write must come from a page of this portal (CSRF defence). */
function sameOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function metaOf(req: NextRequest): RequestMeta {
  return {
    ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || null,
    userAgent: req.headers.get("user-agent"),
    correlationId: req.headers.get("x-request-id") ?? randomUUID(),
  };
}

export function jsonError(err: unknown): NextResponse {
  const { status, body } = toPublicError(err);
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store" } });
}

type Handler<P> = (ctx: ApiContext, params: P) => Promise<Response | unknown>;

/** Wraps an authenticated /api/v1 route: principal, errors mapped in one place, JSON out. */
export function apiRoute<P = Record<string, string>>(handler: Handler<P>) {
  return async (req: NextRequest, ctx: { params: Promise<P> }) => {
    try {
      const prisma = await getPrisma();
      const principal = await authenticate(req, prisma);
      const result = await handler({ prisma, principal, meta: metaOf(req), req }, await ctx.params);
      if (result instanceof Response) return result;
      return NextResponse.json(toJson(result), { headers: { "cache-control": "no-store" } });
    } catch (err) {
      return jsonError(err);
    }
  };
}

/** BigInt ids and dates made JSON-safe. */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
