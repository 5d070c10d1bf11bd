import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTeam } from "@/lib/access/team-access";
import { authenticateApiToken, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { lookupSession, revokeAllSessions } from "@/lib/auth/session";
import { completeSecondFactor, signIn } from "@/lib/auth/sign-in";
import { totpCode } from "@/lib/auth/totp";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { createRegion } from "@/lib/catalog/catalog";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { createTeam } from "@/lib/teams/create-team";
import { acceptInvitation, inviteMember } from "@/lib/teams/invitations";
import { changeMemberRole } from "@/lib/teams/members";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/users/account";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeTeam, makeUser } from "../helpers/factories";

const meta = { ip: "203.0.113.7", userAgent: "vitest" };
const code = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e) => (e instanceof AppError ? e.code : `unexpected: ${e}`),
  );

describe.each(DB_KINDS)("accounts, teams and access on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await seedDatabase(db.prisma, { adminPassword: "admin-password-123" });
  });
  afterAll(async () => db?.close());

  it("signs in with the right password and gives one generic error otherwise", async () => {
    const { prisma } = db;
    const { user } = await makeUser(prisma, { password: "right-password-123" });
    const ok = await signIn({ prisma, input: { email: user.email.toUpperCase(), password: "right-password-123" }, meta });
    expect((await lookupSession({ prisma, token: ok.token })).state).toBe("active");
    const wrong = await signIn({ prisma, input: { email: user.email, password: "nope-nope-nope" }, meta }).catch((e) => e);
    const unknown = await signIn({ prisma, input: { email: "ghost@example.no", password: "nope-nope-nope" }, meta }).catch((e) => e);
    expect(wrong).toBeInstanceOf(AppError);
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.code).toBe(unknown.code);
  });

  it("rate-limits sign-in per account", async () => {
    const { prisma } = db;
    const { user } = await makeUser(prisma, { password: "right-password-123" });
    for (let i = 0; i < 5; i++)
      expect(await code(signIn({ prisma, input: { email: user.email, password: "bad-password-1" }, meta }))).toBe("UNAUTHENTICATED");
    // Even the right password is refused until the window passes.
    expect(await code(signIn({ prisma, input: { email: user.email, password: "right-password-123" }, meta }))).toBe("RATE_LIMITED");
  });

  it("signs out everywhere", async () => {
    const { prisma } = db;
    const { user } = await makeUser(prisma, { password: "right-password-123" });
    const a = await signIn({ prisma, input: { email: user.email, password: "right-password-123" }, meta: { ip: "198.51.100.1" } });
    const b = await signIn({ prisma, input: { email: user.email, password: "right-password-123" }, meta: { ip: "198.51.100.2" } });
    expect(await revokeAllSessions({ prisma, userId: user.id })).toBe(2);
    expect((await lookupSession({ prisma, token: a.token })).state).toBe("none");
    expect((await lookupSession({ prisma, token: b.token })).state).toBe("none");
  });

  it("requires the second factor once an admin turns TOTP on", async () => {
    const { prisma } = db;
    const { user, principal } = await makeUser(prisma, { isAdmin: true, password: "admin-pass-4567" });
    const { secret } = await beginTotpEnrolment({ prisma, principal });
    expect(await code(confirmTotpEnrolment({ prisma, principal, code: "000000" }))).toBe("VALIDATION");
    await confirmTotpEnrolment({ prisma, principal, code: totpCode(secret) });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecretEnc).not.toContain(secret); // encrypted at rest
    const s = await signIn({ prisma, input: { email: user.email, password: "admin-pass-4567" }, meta });
    expect(s.needsSecondFactor).toBe(true);
    expect((await lookupSession({ prisma, token: s.token })).state).toBe("needs-second-factor");
    expect(await code(completeSecondFactor({ prisma, token: s.token, code: "123456", meta }))).toBe("UNAUTHENTICATED");
    await completeSecondFactor({ prisma, token: s.token, code: totpCode(secret), meta });
    expect((await lookupSession({ prisma, token: s.token })).state).toBe("active");
  });

  it("hides other teams behind 404 and keeps viewers read-only", async () => {
    const { prisma } = db;
    const owner = await makeUser(prisma);
    const viewer = await makeUser(prisma);
    const stranger = await makeUser(prisma);
    const team = await makeTeam(prisma, [
      { userId: owner.user.id, role: "OWNER" },
      { userId: viewer.user.id, role: "VIEWER" },
    ]);
    expect(await code(requireTeam({ prisma, principal: stranger.principal, slug: team.slug, need: "read" }))).toBe("NOT_FOUND");
    expect(await code(requireTeam({ prisma, principal: stranger.principal, slug: "no-such-team", need: "read" }))).toBe("NOT_FOUND");
    expect(await code(requireTeam({ prisma, principal: viewer.principal, slug: team.slug, need: "read" }))).toBe("resolved");
    expect(
      await code(
        inviteMember({ prisma, principal: viewer.principal, teamSlug: team.slug, input: { email: "x@example.no", role: "MEMBER" } }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await code(
        changeMemberRole({ prisma, principal: viewer.principal, teamSlug: team.slug, input: { userId: viewer.user.id, role: "OWNER" } }),
      ),
    ).toBe("FORBIDDEN");
    expect(await prisma.invitation.count({ where: { teamId: team.id } })).toBe(0);
    // The last owner cannot be demoted.
    expect(
      await code(
        changeMemberRole({ prisma, principal: owner.principal, teamSlug: team.slug, input: { userId: owner.user.id, role: "MEMBER" } }),
      ),
    ).toBe("CONFLICT");
  });

  it("invites by one-time link, creating the account on acceptance", async () => {
    const { prisma } = db;
    const owner = await makeUser(prisma);
    const team = await makeTeam(prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    const inv = await inviteMember({
      prisma,
      principal: owner.principal,
      teamSlug: team.slug,
      input: { email: "Ny.Bruker@Example.no", role: "MEMBER" },
    });
    expect(inv.invitation.email).toBe("ny.bruker@example.no");
    expect(inv.invitation.tokenHash).not.toContain(inv.token);
    const accepted = await acceptInvitation({ prisma, input: { token: inv.token, name: "Ny Bruker", password: "ny-bruker-passord" } });
    expect(accepted.team.slug).toBe(team.slug);
    expect(await code(acceptInvitation({ prisma, input: { token: inv.token, name: "Again", password: "ny-bruker-passord" } }))).toBe(
      "NOT_FOUND",
    );
    const m = await prisma.membership.findFirstOrThrow({ where: { teamId: team.id, user: { email: "ny.bruker@example.no" } } });
    expect(m.role).toBe("MEMBER");
  });

  it("issues API tokens stored only as a hash, scoped to one team, revocable", async () => {
    const { prisma } = db;
    const owner = await makeUser(prisma);
    const team = await makeTeam(prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    const other = await makeTeam(prisma);
    const created = await createApiToken({
      prisma,
      principal: owner.principal,
      teamSlug: team.slug,
      input: { name: "deploy", role: "VIEWER" },
    });
    const rows = await db.sql.query<{ tokenHash: string }>(`SELECT "tokenHash" FROM "ApiToken" WHERE id = $1`, [created.id]);
    expect(rows[0]!.tokenHash).not.toContain(created.token.slice(13));
    const p = await authenticateApiToken({ prisma, header: `Bearer ${created.token}` });
    expect(p).toMatchObject({ kind: "token", teamId: team.id, role: "VIEWER", userId: owner.user.id, label: `deploy (${created.prefix})` });
    // The token's team comes with it in one query, whole, as findUnique reads it; requireTeam uses it.
    expect(p?.kind === "token" && p.team).toStrictEqual(await prisma.team.findUniqueOrThrow({ where: { id: team.id } }));
    expect((await requireTeam({ prisma, principal: p!, slug: team.slug, need: "read" })).team).toStrictEqual(
      await prisma.team.findUniqueOrThrow({ where: { id: team.id } }),
    );
    expect(await code(requireTeam({ prisma, principal: p!, slug: other.slug, need: "read" }))).toBe("NOT_FOUND");
    expect(await code(requireTeam({ prisma, principal: p!, slug: team.slug, need: "operate" }))).toBe("FORBIDDEN");
    await revokeApiToken({ prisma, principal: owner.principal, teamSlug: team.slug, tokenId: created.id });
    expect(await authenticateApiToken({ prisma, header: `Bearer ${created.token}` })).toBeNull();
    expect(await authenticateApiToken({ prisma, header: "Bearer skj_' OR 1=1 --" })).toBeNull();
  });

  it("refuses hostile input with a validation error and changes nothing", async () => {
    const { prisma } = db;
    const admin = await makeUser(prisma, { isAdmin: true });
    const before = { teams: await prisma.team.count(), regions: await prisma.region.count() };
    const hostile = [
      { name: "x".repeat(1_000_000), slug: "big" },
      { name: 'Robert\'); DROP TABLE "Team";--', slug: "x'; DROP TABLE" },
      { name: "<script>alert(1)</script>", slug: "../../etc" },
      { name: "Acme\u202eSA", slug: "acme-rtl" },
      { name: "Null\u0000Byte", slug: "nul" },
      { name: 42, slug: ["array"] },
    ];
    for (const input of hostile)
      expect(await code(createTeam({ prisma, principal: admin.principal, input })), JSON.stringify(input).slice(0, 60)).toBe("VALIDATION");
    expect(
      await code(
        createRegion({
          prisma,
          principal: admin.principal,
          input: { code: "x", name: "A", city: "B", country: "norway", jurisdiction: "MARS" },
        }),
      ),
    ).toBe("VALIDATION");
    expect(await prisma.team.count()).toBe(before.teams);
    expect(await prisma.region.count()).toBe(before.regions);
    // Only admins create teams; to anyone else the operation does not exist.
    const user = await makeUser(prisma);
    expect(await code(createTeam({ prisma, principal: user.principal, input: { name: "Mine", slug: "mine" } }))).toBe("NOT_FOUND");
  });

  it("records a new team's account data where the portal runs, once that is configured", async () => {
    const { prisma } = db;
    const admin = await makeUser(prisma, { isAdmin: true });
    const before = await createTeam({ prisma, principal: admin.principal, input: { name: "Before", slug: `before-${kind}` } });
    expect(await prisma.dataLocation.count({ where: { teamId: before.id } })).toBe(0);
    await prisma.setting.create({ data: { key: "portal.location", value: { regionCode: "osl1" } } });
    const after = await createTeam({ prisma, principal: admin.principal, input: { name: "After", slug: `after-${kind}` } });
    const rows = await prisma.dataLocation.findMany({ where: { teamId: after.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      resourceKind: "PORTAL_DATABASE",
      action: "OPEN",
      regionCode: "osl1",
      country: "NO",
      jurisdiction: "NO_EEA",
    });
    await prisma.setting.delete({ where: { key: "portal.location" } });
  });

  it("writes who did what from where to the audit log, filterable and paged", async () => {
    const { prisma } = db;
    const admin = await makeUser(prisma, { isAdmin: true });
    for (let i = 0; i < 3; i++)
      await createTeam({ prisma, principal: admin.principal, input: { name: `Audit ${i}`, slug: `audit-${i}-${kind}` }, meta });
    const filter = { action: "team.create", actor: admin.user.email };
    const page1 = await listAuditEvents({ prisma, filter, page: { limit: 2 } });
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]).toMatchObject({ action: "team.create", actorLabel: admin.user.email, ip: "203.0.113.7" });
    const page2 = await listAuditEvents({ prisma, filter, page: { limit: 2, cursor: page1.nextCursor } });
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect([...page1.items, ...page2.items].map((e) => e.targetId)).toHaveLength(3);
    expect(await code(listAuditEvents({ prisma, filter: { action: "'; DROP" }, page: { limit: 50 } }))).toBe("VALIDATION");
  });
});
