import { NextRequest } from "next/server";
import type { Database } from "@/lib/db/connect";

// Calls a route handler module's export in-process, as Next.js would: the process's database handle
// (lib/db's globalThis slot) points at the test's database, and the request carries a bearer token
// or a session cookie with a same-origin Origin header, as a browser's write would.

const ORIGIN = "http://portal.test";

export function useDatabaseForRoutes(db: Pick<Database, "prisma" | "sql" | "kind" | "close">): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("skjold.database")] = Promise.resolve(db);
}

export type Caller = { bearer: string } | { session: string };

type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function callRoute(opts: {
  handler: unknown;
  method: string;
  path: string;
  params?: Record<string, string>;
  as: Caller;
  body?: string;
  contentType?: string | null;
}): Promise<{ status: number; headers: Headers; json: Record<string, unknown> | null }> {
  const headers = new Headers({ host: "portal.test", origin: ORIGIN });
  if ("bearer" in opts.as) headers.set("authorization", `Bearer ${opts.as.bearer}`);
  else headers.set("cookie", `skjold_session=${opts.as.session}`);
  if (opts.contentType) headers.set("content-type", opts.contentType);
  const req = new NextRequest(`${ORIGIN}${opts.path}`, { method: opts.method, headers, body: opts.body });
  // A body given as a string gets text/plain from fetch's rules unless the test chose a type.
  if (opts.contentType === null && opts.body !== undefined) req.headers.delete("content-type");
  const res = await (opts.handler as RouteHandler)(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json };
}
