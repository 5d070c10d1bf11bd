import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/lib/auth/session";
import { openDatabase, type Database } from "@/lib/db/connect";
import { makeTeam, makeUser } from "@/tests/helpers/factories";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "@/tests/helpers/throwaway-pg";

// Issue 18: while PostgreSQL is down, every /api/v1 call that fails answers 503 with Retry-After, none
// 500, and the portal recovers without a restart. This runs on a PostgreSQL of its own (the shared
// server at 5432 is never stopped): real route modules, a real pg pool and Prisma's pg adapter.

vi.mock("server-only", () => ({}));

const teamsRoute = await import("@/app/api/v1/teams/route");
const teamRoute = await import("@/app/api/v1/teams/[slug]/route");

let server: ThrowawayPostgres;
let db: Database;
let session: string;
let slug: string;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  db = await openDatabase({ kind: "postgres", url: server.url, poolSize: 4 });
  useDatabaseForRoutes(db);
  const { user } = await makeUser(db.prisma, { isAdmin: true });
  slug = (await makeTeam(db.prisma, [{ userId: user.id, role: "OWNER" }])).slug;
  session = (await createSession({ prisma: db.prisma, userId: user.id, mfaVerified: true })).token;
});
afterAll(async () => {
  await db?.close().catch(() => undefined);
  server?.destroy();
});

const listTeams = () => callRoute({ handler: teamsRoute.GET, method: "GET", path: "/api/v1/teams", as: { session } });
const readTeam = () =>
  callRoute({ handler: teamRoute.GET, method: "GET", path: `/api/v1/teams/${slug}`, params: { slug }, as: { session } });
// Slugs unique per try (vitest may run a failed test once more against the same database).
const tryId = () => Math.random().toString(36).slice(2, 8);
let attempt = tryId();
const createTeam = (n: number) =>
  callRoute({
    handler: teamsRoute.POST,
    method: "POST",
    path: "/api/v1/teams",
    as: { session },
    body: JSON.stringify({ name: `Outage ${attempt} ${n}`, slug: `outage-${attempt}-${n}` }),
    contentType: "application/json",
  });

describe("a database outage through the API", () => {
  it("answers 503 with Retry-After, never 500, while the server is stopped and restarted under a request loop", async () => {
    attempt = tryId();
    // What the portal logged for a 500 (its stack), so a failure here names the error it did not classify.
    const logged: string[] = [];
    const log = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      if (String(args[0]).includes("unexpected error")) logged.push(args.map(String).join(" ").slice(0, 1500));
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect((await listTeams()).status).toBe(200);
    const statuses: number[] = [];
    const failures: Array<{ status: number; retryAfter: string | null; code: unknown }> = [];
    let stop = false;
    let n = 0;
    const loop = (async () => {
      while (!stop) {
        n++;
        for (const r of await Promise.all([listTeams(), readTeam(), createTeam(n)])) {
          statuses.push(r.status);
          if (r.status >= 500)
            failures.push({ status: r.status, retryAfter: r.headers.get("retry-after"), code: (r.json?.error as { code?: string })?.code });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // fast: the server ends its sessions (57P01 to anything in flight), then refuses connections.
    server.stop("fast");
    await new Promise((resolve) => setTimeout(resolve, 3000));
    server.start();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stop = true;
    await loop;
    log.mockRestore();
    warn.mockRestore();

    console.info(
      `[outage] ${statuses.length} calls, ${failures.length} failed while PostgreSQL was down: ${failures.filter((f) => f.status === 503).length} × 503`,
    );
    expect(failures.length, "the outage was seen").toBeGreaterThan(0);
    expect(
      failures.filter((f) => f.status !== 503),
      logged.join("\n"),
    ).toEqual([]);
    expect(failures.every((f) => f.retryAfter === "5" && f.code === "UNAVAILABLE")).toBe(true);
    expect(statuses.every((s) => s === 200 || s === 201 || s === 503)).toBe(true);
    // Recovered without a restart of anything but PostgreSQL.
    expect((await listTeams()).status).toBe(200);
    expect((await readTeam()).status).toBe(200);
  });

  it("answers 503 when the server was killed outright (idle connections dropped, no goodbye)", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    server.stop("immediate");
    try {
      for (const r of [await listTeams(), await readTeam(), await createTeam(10_000)]) {
        expect(r.status).toBe(503);
        expect(r.headers.get("retry-after")).toBe("5");
      }
    } finally {
      server.start();
      log.mockRestore();
      warn.mockRestore();
    }
    expect((await listTeams()).status).toBe(200);
  });

  it("answers 503 when the portal cannot open its database at all (a closed port at start)", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const closed = await freePort();
    // As lib/db's getDatabase does at a cold start: the open fails, the request must still be a 503.
    const opening = openDatabase({ kind: "postgres", url: `postgres://postgres@127.0.0.1:${closed}/postgres` });
    opening.catch(() => undefined);
    (globalThis as Record<symbol, unknown>)[Symbol.for("skjold.database")] = opening;
    try {
      const r = await listTeams();
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("5");
      expect(r.json).toMatchObject({ error: { code: "UNAVAILABLE", correlationId: expect.any(String) } });
    } finally {
      useDatabaseForRoutes(db);
      log.mockRestore();
    }
  });
});
