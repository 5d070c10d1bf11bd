import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/lib/auth/session";
import type { Database } from "@/lib/db/connect";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeUser } from "@/tests/helpers/factories";
import { makeTenant, onboardLabHost } from "@/tests/helpers/provision-lab";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";

// The /api/v1 wrapper as a client meets it, through the real route modules: JSON bodies only (415),
// a GET never writes, declared roles refused before the handler runs, and a declared body parsed first.

vi.mock("server-only", () => ({}));

const vmsRoute = await import("@/app/api/v1/teams/[slug]/vms/route");
const tokensRoute = await import("@/app/api/v1/teams/[slug]/tokens/route");
const reconcileRoute = await import("@/app/api/v1/admin/hosts/[id]/reconcile/route");
const hostsRoute = await import("@/app/api/v1/admin/hosts/route");
const plansRoute = await import("@/app/api/v1/plans/route");
const teamRoute = await import("@/app/api/v1/teams/[slug]/route");

describe.each(DB_KINDS)("the /api/v1 wrapper (%s)", (kind) => {
  let db: Database;
  let lab: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let tenantSession: string;
  let adminSession: string;
  let ownerSession: string;
  let ownerTeamSlug: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    useDatabaseForRoutes(db);
    lab = await onboardLabHost(db.prisma, { cpuCount: 4, memoryMb: 8192, vcpuOvercommit: 1 });
    tenant = await makeTenant(db.prisma, { maxVms: 3 });
    tenantSession = (await createSession({ prisma: db.prisma, userId: tenant.user.id, mfaVerified: true })).token;
    const admin = await makeUser(db.prisma, { isAdmin: true });
    adminSession = (await createSession({ prisma: db.prisma, userId: admin.user.id, mfaVerified: true })).token;
    const owner = await makeTenant(db.prisma);
    await db.prisma.membership.updateMany({ where: { userId: owner.user.id }, data: { role: "OWNER" } });
    ownerTeamSlug = owner.team.slug;
    ownerSession = (await createSession({ prisma: db.prisma, userId: owner.user.id, mfaVerified: true })).token;
  });
  afterAll(async () => db?.close());

  const order = () =>
    JSON.stringify({ name: "web-1", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id });
  const vmRows = () => db.prisma.virtualMachine.count({ where: { teamId: tenant.team.id } });
  const jobRows = () => db.prisma.job.count({ where: { teamId: tenant.team.id } });

  describe("a JSON route accepts only application/json bodies", () => {
    it.each([["text/plain"], ["text/plain;charset=UTF-8"], ["application/x-www-form-urlencoded"], ["multipart/form-data; boundary=x"]])(
      "refuses a valid order sent as %s with 415, creating nothing",
      async (contentType) => {
        const r = await callRoute({
          handler: vmsRoute.POST,
          method: "POST",
          path: `/api/v1/teams/${tenant.team.slug}/vms`,
          params: { slug: tenant.team.slug },
          as: { session: tenantSession },
          body: order(),
          contentType,
        });
        expect(r.status).toBe(415);
        expect(r.json).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE", message: expect.stringContaining("application/json") } });
        expect(await vmRows()).toBe(0);
        expect(await jobRows()).toBe(0);
      },
    );

    it("refuses a body with no Content-Type at all", async () => {
      const r = await callRoute({
        handler: vmsRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${tenant.team.slug}/vms`,
        params: { slug: tenant.team.slug },
        as: { session: tenantSession },
        body: order(),
        contentType: null,
      });
      expect(r.status).toBe(415);
      expect(await vmRows()).toBe(0);
    });

    it("takes the same order as application/json (the control: 202, one VM and its job)", async () => {
      const r = await callRoute({
        handler: vmsRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${tenant.team.slug}/vms`,
        params: { slug: tenant.team.slug },
        as: { session: tenantSession },
        body: order(),
        contentType: "application/json; charset=utf-8",
      });
      expect(r.status, JSON.stringify(r.json)).toBe(202);
      expect(await vmRows()).toBe(1);
      expect(await jobRows()).toBe(1);
    });

    it("refuses a token creation sent as text/plain with 415 and creates no token; JSON creates one", async () => {
      const body = JSON.stringify({ name: "ci", role: "MEMBER" });
      const call = (contentType: string) =>
        callRoute({
          handler: tokensRoute.POST,
          method: "POST",
          path: `/api/v1/teams/${ownerTeamSlug}/tokens`,
          params: { slug: ownerTeamSlug },
          as: { session: ownerSession },
          body,
          contentType,
        });
      const refused = await call("text/plain");
      expect(refused.status).toBe(415);
      expect(refused.json).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
      expect(await db.prisma.apiToken.count({ where: { team: { slug: ownerTeamSlug } } })).toBe(0);
      expect(await db.prisma.auditEvent.count({ where: { action: "team.token.create" } })).toBe(0);
      const created = await call("application/json");
      expect(created.status).toBe(201);
      expect(await db.prisma.apiToken.count({ where: { team: { slug: ownerTeamSlug } } })).toBe(1);
    });
  });

  describe("declared roles and bodies", () => {
    it("answers 404 to a non-admin on an admin route, before reading the body", async () => {
      const r = await callRoute({
        handler: hostsRoute.POST,
        method: "POST",
        path: "/api/v1/admin/hosts",
        as: { session: tenantSession },
        body: "not even json",
        contentType: "text/plain",
      });
      expect(r.status).toBe(404);
      const list = await callRoute({ handler: hostsRoute.GET, method: "GET", path: "/api/v1/admin/hosts", as: { session: tenantSession } });
      expect(list.status).toBe(404);
    });

    it("answers 404 to a team's API token on an admin route, and 403 when it tries to create a token", async () => {
      const owner = await callRoute({
        handler: tokensRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${ownerTeamSlug}/tokens`,
        params: { slug: ownerTeamSlug },
        as: { session: ownerSession },
        body: JSON.stringify({ name: "owner-token", role: "OWNER" }),
        contentType: "application/json",
      });
      const bearer = owner.json!.token as string;
      expect(
        (await callRoute({ handler: reconcileRoute.GET, method: "GET", path: "/x", params: { id: lab.host.id }, as: { bearer } })).status,
      ).toBe(404);
      const r = await callRoute({
        handler: tokensRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${ownerTeamSlug}/tokens`,
        params: { slug: ownerTeamSlug },
        as: { bearer },
        body: JSON.stringify({ name: "minted-by-token" }),
        contentType: "application/json",
      });
      expect(r.status).toBe(403);
      expect(await db.prisma.apiToken.count({ where: { name: "minted-by-token" } })).toBe(0);
    });

    it("checks a declared team capability: 404 outside the team, 403 for a role that cannot, the team for one that can", async () => {
      const get = (handler: unknown, slug: string, session: string) =>
        callRoute({ handler, method: "GET", path: `/api/v1/teams/${slug}`, params: { slug }, as: { session } });
      expect((await get(teamRoute.GET, ownerTeamSlug, tenantSession)).status).toBe(404);
      expect((await get(teamRoute.GET, "no-such-team", tenantSession)).status).toBe(404);
      const own = await get(teamRoute.GET, tenant.team.slug, tenantSession);
      expect(own.status).toBe(200);
      expect(own.json).toMatchObject({ slug: tenant.team.slug, role: "MEMBER" });
      const tokens = await get(tokensRoute.GET, tenant.team.slug, tenantSession); // a member cannot manage tokens
      expect(tokens.status).toBe(403);
      expect(tokens.json).toMatchObject({ error: { code: "FORBIDDEN" } });
      expect((await get(tokensRoute.GET, ownerTeamSlug, ownerSession)).status).toBe(200);
    });

    it("parses a declared body for an admin: 422 naming the field, then 201 with the parsed plan", async () => {
      const post = (body: unknown) =>
        callRoute({
          handler: plansRoute.POST,
          method: "POST",
          path: "/api/v1/plans",
          as: { session: adminSession },
          body: JSON.stringify(body),
          contentType: "application/json",
        });
      const bad = await post({ code: "tiny", name: "Tiny", vcpus: 0, memoryMb: 512, diskGb: 10 });
      expect(bad.status).toBe(422);
      expect(bad.json).toMatchObject({ error: { code: "VALIDATION", message: expect.stringContaining("vcpus") } });
      const good = await post({ code: "tiny", name: "  Tiny  ", vcpus: "1", memoryMb: 512, diskGb: 10 });
      expect(good.status, JSON.stringify(good.json)).toBe(201);
      expect(good.json).toMatchObject({ code: "tiny", name: "Tiny", vcpus: 1 });
    });
  });

  describe("reconcile: a GET never writes, the POST checks", () => {
    const auditRows = () => db.prisma.auditEvent.count({ where: { action: "host.reconcile" } });
    const stored = () => db.prisma.setting.count({ where: { key: `hosts.drift.${lab.host.id}` } });

    it("GET reads the last stored report only: no SSH, no stored report, no audit row", async () => {
      // The host's address is made unreachable: a GET that still SSHed would fail with 502.
      await db.prisma.host.update({ where: { id: lab.host.id }, data: { port: 1 } });
      try {
        const r = await callRoute({
          handler: reconcileRoute.GET,
          method: "GET",
          path: `/api/v1/admin/hosts/${lab.host.id}/reconcile`,
          params: { id: lab.host.id },
          as: { session: adminSession },
        });
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        expect(r.json).toEqual({ report: null });
        expect(await auditRows()).toBe(0);
        expect(await stored()).toBe(0);
      } finally {
        await db.prisma.host.update({ where: { id: lab.host.id }, data: { port: lab.host.port } });
      }
    });

    it("POST {action: check} reads libvirt over SSH, stores the report and audits it; GET then returns it", async () => {
      const r = await callRoute({
        handler: reconcileRoute.POST,
        method: "POST",
        path: `/api/v1/admin/hosts/${lab.host.id}/reconcile`,
        params: { id: lab.host.id },
        as: { session: adminSession },
        body: JSON.stringify({ action: "check" }),
        contentType: "application/json",
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json).toMatchObject({ unknownDomains: expect.any(Array), orphanVolumes: expect.any(Array) });
      expect(await auditRows()).toBe(1);
      expect(await stored()).toBe(1);
      const read = await callRoute({
        handler: reconcileRoute.GET,
        method: "GET",
        path: `/api/v1/admin/hosts/${lab.host.id}/reconcile`,
        params: { id: lab.host.id },
        as: { session: adminSession },
      });
      expect(read.json).toMatchObject({ report: { at: expect.any(String), drift: { unknownDomains: expect.any(Array) } } });
      expect(await auditRows()).toBe(1);
    });

    it("a text/plain POST, what a form on another site can send, is refused and nothing runs", async () => {
      const before = await auditRows();
      const r = await callRoute({
        handler: reconcileRoute.POST,
        method: "POST",
        path: `/api/v1/admin/hosts/${lab.host.id}/reconcile`,
        params: { id: lab.host.id },
        as: { session: adminSession },
        body: JSON.stringify({ action: "check" }),
        contentType: "text/plain",
      });
      expect(r.status).toBe(415);
      expect(await auditRows()).toBe(before);
    });
  });
});
