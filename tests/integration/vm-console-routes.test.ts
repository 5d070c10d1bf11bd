import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createSession } from "@/lib/auth/session";
import type { Database } from "@/lib/db/connect";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam, makeUser, makeVms } from "@/tests/helpers/factories";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";

// The console's routes as a client meets them, before anything reaches a host: who may open a
// console (members and owners with a browser session; viewers 403, tokens 403, another team 404), a
// VM that is not running refused in words, keystrokes only as small JSON to one's own session, the
// console password's rules, and the admin's idle limit. The real console is proven on a booted guest
// in tests/integration/provision-lab.test.ts.

vi.mock("server-only", () => ({}));

const openRoute = await import("@/app/api/v1/teams/[slug]/vms/[id]/console/route");
const streamRoute = await import("@/app/api/v1/teams/[slug]/vms/[id]/console/[session]/route");
const inputRoute = await import("@/app/api/v1/teams/[slug]/vms/[id]/console/[session]/input/route");
const passwordRoute = await import("@/app/api/v1/teams/[slug]/vms/[id]/console-password/route");
const idleRoute = await import("@/app/api/v1/admin/console/idle/route");

describe.each(DB_KINDS)("console routes (%s)", (kind) => {
  let db: Database;
  let slug = "";
  let vmId = "";
  const sessions: Record<"member" | "viewer" | "stranger" | "admin", string> = { member: "", viewer: "", stranger: "", admin: "" };
  let bearer = "";

  beforeAll(async () => {
    db = await freshDatabase(kind);
    useDatabaseForRoutes(db);
    const member = await makeUser(db.prisma);
    const viewer = await makeUser(db.prisma);
    const stranger = await makeUser(db.prisma);
    const admin = await makeUser(db.prisma, { isAdmin: true });
    const team = await makeTeam(db.prisma, [
      { userId: member.user.id, role: "OWNER" },
      { userId: viewer.user.id, role: "VIEWER" },
    ]);
    await makeTeam(db.prisma, [{ userId: stranger.user.id, role: "OWNER" }]);
    slug = team.slug;
    const region = await db.prisma.region.create({
      data: { code: `c${Date.now().toString(36).slice(-5)}`, name: "Console", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
    });
    vmId = (await makeVms(db.prisma, { teamId: team.id, regionId: region.id, count: 1, prefix: "quiet" }))[0]!.id;
    for (const [who, user] of Object.entries({ member, viewer, stranger, admin }))
      sessions[who as keyof typeof sessions] = (await createSession({ prisma: db.prisma, userId: user.user.id, mfaVerified: true })).token;
    bearer = (
      await createApiToken({ prisma: db.prisma, principal: member.principal, teamSlug: slug, input: { name: "ci", role: "OWNER" } })
    ).token;
  });
  afterAll(async () => db?.close());

  const open = (as: { session: string } | { bearer: string }, teamSlug = slug) =>
    callRoute({
      handler: openRoute.POST,
      method: "POST",
      path: `/api/v1/teams/${teamSlug}/vms/${vmId}/console`,
      params: { slug: teamSlug, id: vmId },
      as,
    });

  it("opens only for a member or owner's browser session, and only on a running VM", async () => {
    expect((await open({ session: sessions.viewer })).status).toBe(403);
    expect((await open({ session: sessions.stranger })).status).toBe(404);
    expect((await open({ bearer })).status).toBe(403);
    const stopped = await open({ session: sessions.member });
    expect(stopped.status).toBe(409);
    expect(stopped.json).toMatchObject({ error: { code: "CONFLICT", message: "quiet is pending; the console works on a running VM." } });
    expect(await db.prisma.auditEvent.count({ where: { action: { startsWith: "vm.console" } } })).toBe(0);
  });

  it("takes keystrokes only as JSON of at most 4 KiB, and only for one's own open session", async () => {
    const session = "00000000-0000-4000-8000-000000000000";
    const input = (body: string, contentType = "application/json") =>
      callRoute({
        handler: inputRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${slug}/vms/${vmId}/console/${session}/input`,
        params: { slug, id: vmId, session },
        as: { session: sessions.member },
        body,
        contentType,
      });
    expect((await input(JSON.stringify({ data: "ls\r" }), "text/plain")).status).toBe(415);
    expect((await input(JSON.stringify({ data: "x".repeat(4097) }))).status).toBe(422);
    expect((await input(JSON.stringify({ data: "ls\r" }))).status).toBe(404);
    const stream = await callRoute({
      handler: streamRoute.GET,
      method: "GET",
      path: `/api/v1/teams/${slug}/vms/${vmId}/console/${session}`,
      params: { slug, id: vmId, session },
      as: { session: sessions.member },
    });
    expect(stream.status).toBe(404);
  });

  it("sets a console password only for members, of 12–128 characters without control characters", async () => {
    const set = (session: string, password: string) =>
      callRoute({
        handler: passwordRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${slug}/vms/${vmId}/console-password`,
        params: { slug, id: vmId },
        as: { session },
        body: JSON.stringify({ password }),
        contentType: "application/json",
      });
    expect((await set(sessions.member, "short")).status).toBe(422);
    expect((await set(sessions.member, "long enough\nroot:x")).status).toBe(422);
    expect((await set(sessions.viewer, "long enough password")).status).toBe(403);
    expect((await set(sessions.member, "long enough password")).status).toBe(409); // not running
  });

  it("lets the admin set the idle limit (audited), and nobody else", async () => {
    const get = (session: string) =>
      callRoute({ handler: idleRoute.GET, method: "GET", path: "/api/v1/admin/console/idle", params: {}, as: { session } });
    expect((await get(sessions.admin)).json).toEqual({ idleMinutes: 15, defaultMinutes: 15 });
    expect((await get(sessions.member)).status).toBe(404);
    const put = (idleMinutes: unknown) =>
      callRoute({
        handler: idleRoute.PUT,
        method: "PUT",
        path: "/api/v1/admin/console/idle",
        params: {},
        as: { session: sessions.admin },
        body: JSON.stringify({ idleMinutes }),
        contentType: "application/json",
      });
    expect((await put(0)).status).toBe(422);
    expect((await put(5)).json).toEqual({ idleMinutes: 5 });
    expect((await get(sessions.admin)).json).toMatchObject({ idleMinutes: 5 });
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: "console.idle-limit" } });
    expect(audit?.details).toEqual({ before: 15, after: 5 });
  });
});
