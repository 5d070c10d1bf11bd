import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/lib/auth/session";
import type { Database } from "@/lib/db/connect";
import { createTeam } from "@/lib/teams/create-team";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam, makeUser, makeVms } from "@/tests/helpers/factories";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";

// Every list in /api/v1 as a client meets it, through the real route modules: one shape
// ({ items, nextCursor }), ?limit= (default 50, 1–200, 422 in words outside), and an opaque ?cursor=
// that walks the list in a stable order, each row once, and is refused (422, never a 500) when it
// is not one the list gave out.

vi.mock("server-only", () => ({}));

const route = {
  teams: await import("@/app/api/v1/teams/route"),
  vms: await import("@/app/api/v1/teams/[slug]/vms/route"),
  clusters: await import("@/app/api/v1/teams/[slug]/clusters/route"),
  members: await import("@/app/api/v1/teams/[slug]/members/route"),
  tokens: await import("@/app/api/v1/teams/[slug]/tokens/route"),
  signingKeys: await import("@/app/api/v1/teams/[slug]/signing-keys/route"),
  sshKeys: await import("@/app/api/v1/account/keys/route"),
  hosts: await import("@/app/api/v1/admin/hosts/route"),
  images: await import("@/app/api/v1/admin/images/route"),
  audit: await import("@/app/api/v1/admin/audit/route"),
  ipPools: await import("@/app/api/v1/admin/ip-pools/route"),
  latencyTargets: await import("@/app/api/v1/admin/latency/targets/route"),
  plans: await import("@/app/api/v1/plans/route"),
  regions: await import("@/app/api/v1/regions/route"),
};

type Page = { items: Record<string, unknown>[]; nextCursor: string | null };
const TEAM_VMS = 57;

describe.each(DB_KINDS)("lists in /api/v1 (%s)", (kind) => {
  let db: Database;
  let adminSession: string;
  let ownerSession: string;
  let teamA: { id: string; slug: string };
  let teamB: { id: string; slug: string };
  let ownerId: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    useDatabaseForRoutes(db);
    const admin = await makeUser(db.prisma, { isAdmin: true });
    adminSession = (await createSession({ prisma: db.prisma, userId: admin.user.id, mfaVerified: true })).token;
    const owner = await makeUser(db.prisma);
    ownerId = owner.user.id;
    ownerSession = (await createSession({ prisma: db.prisma, userId: owner.user.id, mfaVerified: true })).token;
    teamA = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    teamB = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    const region = await db.prisma.region.create({
      data: { code: "osl1", name: "Oslo", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
    });
    // One INSERT: the 57 VMs share a createdAt, so only the id orders most of them; ten are then
    // moved an hour apart into the past, so the time key orders those.
    const vms = await makeVms(db.prisma, { teamId: teamA.id, regionId: region.id, count: TEAM_VMS, prefix: "a" });
    for (const [i, vm] of vms.slice(0, 10).entries())
      await db.prisma.virtualMachine.update({ where: { id: vm.id }, data: { createdAt: new Date(Date.now() - (i + 1) * 3_600_000) } });
    await makeVms(db.prisma, { teamId: teamB.id, regionId: region.id, count: 2, prefix: "b" });
  });
  afterAll(async () => db?.close());

  const get = async (handler: { GET: unknown }, path: string, opts: { params?: Record<string, string>; session?: string } = {}) => {
    const r = await callRoute({
      handler: handler.GET,
      method: "GET",
      path,
      params: opts.params,
      as: { session: opts.session ?? adminSession },
    });
    return { status: r.status, body: r.json as Page & { error?: { code: string; message: string } } };
  };
  const vmsOf = (slug: string, query = "") =>
    get(route.vms, `/api/v1/teams/${slug}/vms${query}`, { params: { slug }, session: ownerSession });

  /** Follows nextCursor from the first page to the last, returning each page's items. */
  async function walk(fetchPage: (cursor: string | null) => Promise<{ status: number; body: Page }>) {
    const pages: Record<string, unknown>[][] = [];
    let cursor: string | null = null;
    do {
      const r = await fetchPage(cursor);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      pages.push(r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor && pages.length < 100);
    return pages;
  }
  const q = (params: Record<string, string | null>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null)).toString();
    return s ? `?${s}` : "";
  };

  it("every list answers { items, nextCursor }", async () => {
    const team = { slug: teamA.slug };
    const lists: [string, { GET: unknown }, string, Record<string, string> | undefined, string][] = [
      ["teams", route.teams, "/api/v1/teams", undefined, ownerSession],
      ["vms", route.vms, `/api/v1/teams/${teamA.slug}/vms`, team, ownerSession],
      ["clusters", route.clusters, `/api/v1/teams/${teamA.slug}/clusters`, team, ownerSession],
      ["members", route.members, `/api/v1/teams/${teamA.slug}/members`, team, ownerSession],
      ["tokens", route.tokens, `/api/v1/teams/${teamA.slug}/tokens`, team, ownerSession],
      ["signing keys", route.signingKeys, `/api/v1/teams/${teamA.slug}/signing-keys`, team, ownerSession],
      ["ssh keys", route.sshKeys, "/api/v1/account/keys", undefined, ownerSession],
      ["hosts", route.hosts, "/api/v1/admin/hosts", undefined, adminSession],
      ["images", route.images, "/api/v1/admin/images", undefined, adminSession],
      ["audit", route.audit, "/api/v1/admin/audit", undefined, adminSession],
      ["ip pools", route.ipPools, "/api/v1/admin/ip-pools", undefined, adminSession],
      ["latency targets", route.latencyTargets, "/api/v1/admin/latency/targets", undefined, adminSession],
      ["plans", route.plans, "/api/v1/plans", undefined, ownerSession],
      ["regions", route.regions, "/api/v1/regions", undefined, ownerSession],
    ];
    for (const [name, handler, path, params, session] of lists) {
      const r = await get(handler, path, { params, session });
      expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(Object.keys(r.body).sort(), name).toEqual(["items", "nextCursor"]);
      expect(Array.isArray(r.body.items), name).toBe(true);
    }
  });

  it("walks a team's 57 VMs 20 at a time: each VM once, newest first, and the last page's nextCursor is null", async () => {
    const pages = await walk((cursor) => vmsOf(teamA.slug, q({ limit: "20", cursor })));
    expect(pages.map((p) => p.length)).toEqual([20, 20, 17]);
    const walked = pages.flat();
    const expected = await db.prisma.virtualMachine.findMany({
      where: { teamId: teamA.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(walked.map((v) => v.id)).toEqual(expected.map((v) => v.id));
    expect(new Set(walked.map((v) => v.id)).size).toBe(TEAM_VMS);
    const times = walked.map((v) => Date.parse(v.createdAt as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(walked.every((v) => typeof v.name === "string" && (v.name as string).startsWith("a-"))).toBe(true);
  });

  it("gives 50 rows when no limit is asked for, up to 200 when asked, and 422 in words outside 1–200", async () => {
    const first = await vmsOf(teamA.slug);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await vmsOf(teamA.slug, q({ cursor: first.body.nextCursor }));
    expect(rest.body.items).toHaveLength(TEAM_VMS - 50);
    expect(rest.body.nextCursor).toBeNull();
    const all = await vmsOf(teamA.slug, "?limit=200");
    expect(all.body).toMatchObject({ items: expect.any(Array), nextCursor: null });
    expect(all.body.items).toHaveLength(TEAM_VMS);
    expect((await vmsOf(teamA.slug, "?limit=1")).body.items).toHaveLength(1);

    for (const [limit, message] of [
      ["0", "List: limit: must be at least 1"],
      ["201", "List: limit: must be at most 200"],
      ["abc", "List: limit: must be a whole number from 1 to 200"],
      ["-5", "List: limit: must be a whole number from 1 to 200"],
    ]) {
      const r = await vmsOf(teamA.slug, `?limit=${limit}`);
      expect(r.status, limit).toBe(422);
      expect(r.body.error).toMatchObject({ code: "VALIDATION", message });
    }
  });

  it("refuses a cursor it did not give out with 422, never a 500", async () => {
    const good = (await vmsOf(teamA.slug, "?limit=5")).body.nextCursor!;
    const key = JSON.parse(Buffer.from(good, "base64url").toString()) as unknown[];
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    await db.prisma.plan.create({ data: { code: "p1", name: "P1", vcpus: 1, memoryMb: 512, diskGb: 10 } });
    await db.prisma.plan.create({ data: { code: "p2", name: "P2", vcpus: 2, memoryMb: 512, diskGb: 10 } });
    const plansCursor = (await get(route.plans, "/api/v1/plans?limit=1", { session: ownerSession })).body.nextCursor!;
    for (const [what, cursor] of [
      ["a changed character", `${good.slice(0, 8)}${good[8] === "x" ? "y" : "x"}${good.slice(9)}`],
      ["garbage", "%%%not-a-cursor%%%"],
      ["the plans list's cursor", plansCursor],
      ["an id that is SQL", encode([key[0], key[1], "' OR 1=1 --"])],
      ["a time that is not one", encode([key[0], "1 January", key[2]])],
      ["a huge one", "A".repeat(5000)],
    ]) {
      const r = await vmsOf(teamA.slug, q({ cursor: cursor! }));
      expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(422);
      expect(r.body.error?.message, what).toMatch(/cursor/);
    }
    // A well-formed position after which there is nothing is simply an empty last page.
    const past = await vmsOf(teamA.slug, q({ cursor: encode([key[0], "2000-01-01T00:00:00.000Z", key[2]]) }));
    expect(past).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
  });

  it("a cursor is a position, not a permission: team A's cursor on team B's list shows only team B's VMs", async () => {
    const fromA = (await vmsOf(teamA.slug, "?limit=1")).body.nextCursor!;
    const onB = await vmsOf(teamB.slug, q({ cursor: fromA }));
    expect(onB.status).toBe(200);
    expect(onB.body.items.every((v) => (v.name as string).startsWith("b-"))).toBe(true);
    const outsider = await makeUser(db.prisma);
    const session = (await createSession({ prisma: db.prisma, userId: outsider.user.id, mfaVerified: true })).token;
    const refused = await get(route.vms, `/api/v1/teams/${teamA.slug}/vms${q({ cursor: fromA })}`, {
      params: { slug: teamA.slug },
      session,
    });
    expect(refused.status).toBe(404);
  });

  it("a row removed between two pages makes no other row repeat or go missing", async () => {
    for (const n of [1, 2, 3, 4, 5])
      await db.prisma.sshKey.create({
        data: {
          userId: ownerId,
          name: `k${n}`,
          publicKey: `ssh-ed25519 AAAA${n} k${n}`,
          keyType: "ssh-ed25519",
          bits: 256,
          fingerprint: `SHA256:k${n}`,
          createdAt: new Date(Date.UTC(2026, 0, n)),
        },
      });
    const keys = (cursor: string | null) =>
      get(route.sshKeys, `/api/v1/account/keys${q({ limit: "2", cursor })}`, { session: ownerSession });
    const first = await keys(null);
    expect(first.body.items.map((k) => k.name)).toEqual(["k1", "k2"]);
    await db.prisma.sshKey.deleteMany({ where: { userId: ownerId, name: "k2" } }); // the row the cursor was made from
    const second = await keys(first.body.nextCursor);
    expect(second.body.items.map((k) => k.name)).toEqual(["k3", "k4"]);
    const third = await keys(second.body.nextCursor);
    expect(third.body).toMatchObject({ items: [{ name: "k5" }], nextCursor: null });
  });

  it("walks lists kept in other orders: plans by size, regions by country, teams by name, the audit log newest first", async () => {
    for (const [code, vcpus, memoryMb] of [
      ["p4a", 4, 8192],
      ["p2b", 2, 4096],
      ["p4b", 4, 4096],
      ["p8", 8, 16384],
    ] as const)
      await db.prisma.plan.create({ data: { code, name: code.toUpperCase(), vcpus, memoryMb, diskGb: 20 } });
    const plans = (await walk((cursor) => get(route.plans, `/api/v1/plans${q({ limit: "2", cursor })}`, { session: ownerSession }))).flat();
    // makeVms made "test-nano" (1 vCPU, 512 MiB): it ties with p1 on both, so the id decides between them.
    expect(plans.map((p) => p.code).filter((c) => c !== "test-nano")).toEqual(["p1", "p2", "p2b", "p4b", "p4a", "p8"]);
    expect(plans.map((p) => p.code).filter((c) => c === "test-nano" || c === "p1")).toHaveLength(2);

    for (const [code, name, country] of [
      ["sto1", "Stockholm", "SE"],
      ["fra1", "Frankfurt", "DE"],
      ["bgo1", "Bergen", "NO"],
    ] as const)
      await db.prisma.region.create({ data: { code, name, city: name, country, jurisdiction: "EU" } });
    const regions = (await walk((cursor) => get(route.regions, `/api/v1/regions${q({ limit: "1", cursor })}`))).flat();
    expect(regions.map((r) => r.code)).toEqual(["sto1", "bgo1", "osl1", "fra1"]); // SE, NO (Bergen, Oslo), DE

    const admin = (await db.prisma.user.findFirstOrThrow({ where: { isAdmin: true } })).id;
    const principal = {
      kind: "user",
      userId: admin,
      email: "a@example.no",
      name: "A",
      isAdmin: true,
      locale: "en",
      sessionId: "s",
    } as const;
    for (const slug of ["delta", "alfa", "charlie", "bravo", "echo"])
      await createTeam({ prisma: db.prisma, principal, input: { name: `${slug} as`, slug: `${slug}-${kind}` } });
    const teams = (await walk((cursor) => get(route.teams, `/api/v1/teams${q({ limit: "2", cursor })}`))).flat();
    const named = teams.map((t) => t.name as string).filter((n) => n.endsWith(" as"));
    expect(named).toEqual(["alfa as", "bravo as", "charlie as", "delta as", "echo as"]);
    expect(teams).toHaveLength(7); // and the two teams made first
    expect(teams.every((t) => t.role === "OWNER")).toBe(true); // an admin sees every team as an owner

    const audit = await walk((cursor) => get(route.audit, `/api/v1/admin/audit${q({ action: "team.create", limit: "2", cursor })}`));
    expect(audit.map((p) => p.length)).toEqual([2, 2, 1]);
    const ids = audit.flat().map((e) => BigInt(e.id as string));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect(audit.flat().map((e) => (e.details as { slug: string }).slug)).toEqual(
      ["echo", "bravo", "charlie", "alfa", "delta"].map((s) => `${s}-${kind}`),
    );
  });
});
