import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import type { Principal, RequestMeta } from "@/lib/access/principal";
import { lookupSession, SESSION_COOKIE } from "@/lib/auth/session";
import { type Capability, requireAdmin, requireTeam } from "@/lib/access/team-access";
import { AppError, fromZod, toPublicError } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";
import { getPrisma, type PrismaClient } from "@/lib/db";

interface ApiContext {
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
  const { status, body, headers } = toPublicError(err);
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * Who may call a route, checked before anything else runs:
 * - "admin": a platform admin's session or token; everyone else gets 404, as the admin pages do;
 * - "user": a person (a browser session), not an API token;
 * - "authenticated" (the default): any signed-in user or valid API token.
 * A route under /teams/{slug} may also declare `team: "read" | "operate" | "manage" | "audit"`: the
 * wrapper finds the team (404 outside it, 403 for a role that cannot) and hands it to the handler.
 * Routes that call a lib/ operation leave that check to it (it takes the slug and checks the same way).
 */
type RouteRole = "admin" | "user" | "authenticated";

export interface RouteDeclaration<B extends z.ZodType | undefined, T extends Capability | undefined = undefined> {
  role?: RouteRole;
  /** The capability needed in the team named by the `slug` param. */
  team?: T;
  /** The JSON body's schema: parsed (422 naming the field) before the handler runs; application/json only (415). */
  body?: B;
  /** Largest body read, in bytes (default 64 KiB); larger is 413 before parsing. */
  maxBytes?: number;
}

type TeamAccess = Awaited<ReturnType<typeof requireTeam>>;
type BodyOf<B> = B extends z.ZodType ? z.output<B> : undefined;
type TeamOf<T> = T extends Capability ? TeamAccess : undefined;
type Handler<P, B = undefined, T = undefined> = (ctx: ApiContext & { body: B; team: T }, params: P) => Promise<Response | unknown>;

function authorise(principal: Principal, role: RouteRole): void {
  if (role === "admin") requireAdmin(principal);
  if (role === "user" && principal.kind !== "user")
    throw new AppError("FORBIDDEN", "This route is for a signed-in person, not an API token.");
}

async function teamOf(opts: { prisma: PrismaClient; principal: Principal; params: unknown; need: Capability }): Promise<TeamAccess> {
  const slug = (opts.params as { slug?: unknown } | null)?.slug;
  if (typeof slug !== "string") throw new AppError("INTERNAL", "A route declared a team but has no {slug} in its path.");
  return requireTeam({ prisma: opts.prisma, principal: opts.principal, slug, need: opts.need });
}

async function parseBody(req: NextRequest, schema: z.ZodType, maxBytes?: number): Promise<unknown> {
  const parsed = schema.safeParse(await readJsonBody(req, maxBytes));
  if (!parsed.success) throw fromZod(parsed.error, "Invalid request body");
  return parsed.data;
}

/**
 * Wraps an authenticated /api/v1 route: principal, declared role and body checked before the handler
 * runs, errors mapped in one place, JSON out. `apiRoute(handler)` or `apiRoute({ role, body }, handler)`;
 * the handler gets the parsed body as `ctx.body`, typed from the schema.
 */
export function apiRoute<P = Record<string, string>>(
  handler: Handler<P>,
): (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;
export function apiRoute<
  P = Record<string, string>,
  B extends z.ZodType | undefined = undefined,
  T extends Capability | undefined = undefined,
>(
  declaration: RouteDeclaration<B, T>,
  handler: Handler<P, BodyOf<B>, TeamOf<T>>,
): (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;
export function apiRoute<P>(
  a: RouteDeclaration<z.ZodType | undefined, Capability | undefined> | Handler<P, never, never>,
  b?: Handler<P, never, never>,
) {
  const declaration: RouteDeclaration<z.ZodType | undefined, Capability | undefined> = typeof a === "function" ? {} : a;
  const handler = (typeof a === "function" ? a : b!) as Handler<P, unknown, unknown>;
  return async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      const prisma = await getPrisma();
      const principal = await authenticate(req, prisma);
      authorise(principal, declaration.role ?? "authenticated");
      const params = await ctx.params;
      const team = declaration.team ? await teamOf({ prisma, principal, params, need: declaration.team }) : undefined;
      const body = declaration.body ? await parseBody(req, declaration.body, declaration.maxBytes) : undefined;
      const result = await handler({ prisma, principal, meta: metaOf(req), req, body, team }, params);
      if (result instanceof Response) return result;
      return NextResponse.json(toJson(result), { headers: { "cache-control": "no-store" } });
    } catch (err) {
      return jsonError(err);
    }
  };
}

/** BigInt ids and dates made JSON-safe. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
