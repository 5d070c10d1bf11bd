import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { placeOrder } from "@/lib/vms/order/place-order";
import { orderOptions } from "@/lib/vms/order/order-options";
import { listVms } from "@/lib/vms/queries/list-vms";
import { listWarmPools } from "@/lib/vms/warm/list-warm-pools";
import { refillWarmPools } from "@/lib/vms/warm/refill-warm-pools";
import { setWarmPool } from "@/lib/vms/warm/set-warm-pool";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { createSession } from "@/lib/auth/session";
import { makeUser } from "@/tests/helpers/factories";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";
import { makeTenant, onboardLabHost } from "@/tests/helpers/provision-lab";

// The warm pool without booting anything (no worker runs): the admin setting, the refill's
// decisions (never beyond the size, never the room an ordinary order needs), and which order takes
// which warm guest. A ready guest is simulated by setting its row RUNNING. tests/integration/
// warm-pool-lab.test.ts boots real warm guests on the lab host.

vi.mock("server-only", () => ({}));

const POOL = { region: "osl1", plan: "nano", image: "debian-12" };

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(DB_KINDS)("warm pools (%s)", (kind) => {
  let db: Database;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  const order = (name: string, over: Record<string, unknown> = {}) =>
    placeOrder({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      input: { name, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id, ...over },
    });
  const warmGuests = () =>
    db.prisma.virtualMachine.findMany({ where: { warmPoolId: { not: null }, teamId: null }, orderBy: { name: "asc" } });
  const makeReady = async () => {
    const n = await db.prisma.virtualMachine.updateMany({
      where: { warmPoolId: { not: null }, teamId: null, state: "PENDING" },
      data: { state: "RUNNING", readyAt: new Date() },
    });
    await db.prisma.job.updateMany({ where: { kind: "vm.warm", state: "QUEUED" }, data: { state: "SUCCEEDED", finishedAt: new Date() } });
    return n.count;
  };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    // Room for 3 nano VMs (1 vCPU each): a warm guest needs room for itself and one ordinary order.
    env = await onboardLabHost(db.prisma, { cpuCount: 3, memoryMb: 8192, vcpuOvercommit: 1 });
    admin = await makeUser(db.prisma, { isAdmin: true });
    tenant = await makeTenant(db.prisma, { maxVms: 10 });
  });
  afterAll(async () => db?.close());

  it("sets a pool's size as an admin only, with the value checked and the change audited", async () => {
    const set = (input: unknown, principal = admin.principal) => setWarmPool({ prisma: db.prisma, principal, input });
    expect((await refusal(set({ ...POOL, size: 2 }, tenant.principal))).code).toBe("NOT_FOUND");
    expect((await refusal(set({ ...POOL, size: -1 }))).code).toBe("VALIDATION");
    expect((await refusal(set({ ...POOL, size: 1.5 }))).code).toBe("VALIDATION");
    expect((await refusal(set({ ...POOL, region: "nowhere", size: 1 }))).message).toMatch(/region: no region nowhere/);
    expect(await set({ ...POOL, size: 2 })).toMatchObject({ ...POOL, size: 2 });
    expect(await listWarmPools({ prisma: db.prisma, principal: admin.principal })).toEqual([
      expect.objectContaining({ ...POOL, size: 2, ready: 0, warming: 0, failed: 0, served: 0, medianServedSeconds: null }),
    ]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "warm-pool.set" } });
    expect(audit.details).toMatchObject({ before: 0, after: 2 });
  });

  it("refills up to the size and never beyond, booked against the host's capacity and not a team's quota", async () => {
    const first = await refillWarmPools({ prisma: db.prisma });
    expect(first.started).toHaveLength(2);
    expect((await refillWarmPools({ prisma: db.prisma })).started).toEqual([]);
    const guests = await warmGuests();
    expect(guests.map((g) => ({ teamId: g.teamId, state: g.state, hostId: g.hostId, sshKeyId: g.sshKeyId }))).toEqual([
      { teamId: null, state: "PENDING", hostId: env.host.id, sshKeyId: null },
      { teamId: null, state: "PENDING", hostId: env.host.id, sshKeyId: null },
    ]);
    expect(await db.prisma.job.count({ where: { kind: "vm.warm", state: "QUEUED" } })).toBe(2);
    expect(await listWarmPools({ prisma: db.prisma, principal: admin.principal })).toEqual([
      expect.objectContaining({ size: 2, ready: 0, warming: 2 }),
    ]);
    // No team sees them or pays for them.
    const options = await orderOptions({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug });
    expect(options.quota.used).toMatchObject({ vms: 0, vcpus: 0 });
    expect(
      await listVms({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, page: { limit: 50 } }),
    ).toMatchObject({ items: [] });
  });

  it("leaves the room an ordinary order needs: a third warm guest would leave none, so it is not started", async () => {
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 3 } });
    // 2 of 3 vCPUs are warm: a third would leave none for an ordinary order.
    const report = await refillWarmPools({ prisma: db.prisma });
    expect(report.started).toEqual([]);
    expect(report.skipped).toEqual([expect.objectContaining({ pool: "osl1/nano/debian-12" })]);
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 2 } });
  });

  it("serves an order from a ready warm guest of the same region, plan and image; other orders go cold", async () => {
    expect(await makeReady()).toBe(2);
    const [oldest] = await warmGuests();
    const warm = await order("web-1");
    expect(warm.vm).toMatchObject({
      id: oldest!.id,
      teamId: tenant.team.id,
      name: "web-1",
      state: "PROVISIONING",
      sshKeyId: tenant.sshKey.id,
    });
    expect(warm.vm.warmClaimedAt).not.toBeNull();
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: warm.jobId } });
    expect(job.kind).toBe("vm.personalise");
    // Not hardened when it warmed (no boot here, no "hardened" event): version 1 hardens at hand-over.
    expect(job.version).toBe(1);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "vm.order", targetId: warm.vm.id } });
    expect(audit.details).toMatchObject({ warm: true, name: "web-1" });

    // Another plan does not fit the pool: the ordinary path, unchanged.
    const cold = await order("web-2", { planCode: "small" });
    expect(cold.vm.warmPoolId).toBeNull();
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: cold.jobId } })).kind).toBe("vm.provision");
    const options = await orderOptions({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug });
    expect(options.quota.used.vms).toBe(2);
  });

  it("does not hand out a warm guest whose host is in drain", async () => {
    await db.prisma.host.update({ where: { id: env.host.id }, data: { draining: true } });
    const refused = await refusal(order("web-3"));
    // The host in drain takes no cold VM either: the order is refused, the warm guest stays unclaimed.
    expect(refused.code).toBe("NO_CAPACITY");
    expect((await warmGuests()).filter((g) => g.state === "RUNNING")).toHaveLength(1);
    await db.prisma.host.update({ where: { id: env.host.id }, data: { draining: false } });
    // Hardened when it warmed (its "hardened" event, as vm.warm version 2 leaves it): version 2 only personalises.
    const [left] = await warmGuests();
    await db.prisma.vmEvent.create({ data: { vmId: left!.id, kind: "hardened", message: "Hardening converged" } });
    const served = await order("web-3");
    expect(served.vm.warmClaimedAt).not.toBeNull();
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: served.jobId } })).toMatchObject({ kind: "vm.personalise", version: 2 });
    expect(await warmGuests()).toEqual([]);
  });

  it("backs off a pool whose warm boots keep failing, shows it failing, and boots again when the wait is over", async () => {
    // Room for the pool's guests beside the VMs above; the pool's last change an hour ago, so only
    // the failures below count.
    await db.prisma.host.update({ where: { id: env.host.id }, data: { cpuCount: 64, memoryMb: 1_000_000 } });
    await db.prisma.$executeRaw`UPDATE "WarmPool" SET "updatedAt" = now() - interval '1 hour'`;
    // The boots the tests above made ready, older still: the failures below are the pool's newest.
    await db.prisma.job.updateMany({
      where: { kind: "vm.warm", finishedAt: { not: null } },
      data: { finishedAt: new Date(Date.now() - 2 * 3_600_000) },
    });
    const failBoots = async (agoMs: number) => {
      const at = new Date(Date.now() - agoMs);
      const ids = (await warmGuests()).filter((g) => g.state === "PENDING").map((g) => g.id);
      await db.prisma.job.updateMany({
        where: { kind: "vm.warm", vmId: { in: ids } },
        data: { state: "FAILED", finishedAt: at, lastError: "define-start: the domain did not start" },
      });
      await db.prisma.virtualMachine.updateMany({ where: { id: { in: ids } }, data: { state: "FAILED" } });
    };
    expect((await refillWarmPools({ prisma: db.prisma })).started).toHaveLength(2);
    await failBoots(0);
    // Two failures in a row: the failed guests are discarded, no new boot for 2 minutes.
    const waiting = await refillWarmPools({ prisma: db.prisma });
    expect(waiting.discarded).toHaveLength(2);
    expect(waiting.started).toEqual([]);
    expect(waiting.skipped).toEqual([
      { pool: "osl1/nano/debian-12", reason: expect.stringMatching(/^backing off: 2 warm boot\(s\) failed in a row/) },
    ]);
    const [view] = await listWarmPools({ prisma: db.prisma, principal: admin.principal });
    expect(view!.failing).toEqual({ failures: 2, lastError: "define-start: the domain did not start", retryAt: expect.any(String) });
    expect(Date.parse(view!.failing!.retryAt!) - Date.now()).toBeGreaterThan(100_000);
    // The same failures 3 minutes old: the wait (2 minutes) is over, the pool boots again, still shown failing.
    await db.prisma.job.updateMany({ where: { kind: "vm.warm", state: "FAILED" }, data: { finishedAt: new Date(Date.now() - 180_000) } });
    expect((await refillWarmPools({ prisma: db.prisma })).started).toHaveLength(2);
    expect((await listWarmPools({ prisma: db.prisma, principal: admin.principal }))[0]!.failing).toMatchObject({
      failures: 2,
      retryAt: null,
    });
    // They fail too (4 in a row: 8 minutes); the admin saving the pool again starts afresh.
    await failBoots(0);
    expect((await refillWarmPools({ prisma: db.prisma })).started).toEqual([]);
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 1 } });
    expect((await listWarmPools({ prisma: db.prisma, principal: admin.principal }))[0]!.failing).toBeNull();
    expect((await refillWarmPools({ prisma: db.prisma })).started).toHaveLength(1);
    // One boot that succeeds ends it.
    await db.prisma.job.updateMany({ where: { kind: "vm.warm", state: "QUEUED" }, data: { state: "SUCCEEDED", finishedAt: new Date() } });
    expect((await listWarmPools({ prisma: db.prisma, principal: admin.principal }))[0]!.failing).toBeNull();
  });
});

describe("the warm pools admin API", () => {
  let db: Database;
  afterAll(async () => db?.close());

  it("is the admin's only (404 for anyone else), checks the body (422) and is audited", async () => {
    db = await freshDatabase("embedded");
    useDatabaseForRoutes(db);
    await onboardLabHost(db.prisma);
    const route = await import("@/app/api/v1/admin/warm-pools/route");
    const admin = await makeUser(db.prisma, { isAdmin: true });
    const tenant = await makeTenant(db.prisma);
    const session = async (userId: string) => (await createSession({ prisma: db.prisma, userId, mfaVerified: true })).token;
    const [adminSession, tenantSession] = [await session(admin.user.id), await session(tenant.user.id)];
    const put = (body: unknown, as: string) =>
      callRoute({
        handler: route.PUT,
        method: "PUT",
        path: "/api/v1/admin/warm-pools",
        as: { session: as },
        body: JSON.stringify(body),
        contentType: "application/json",
      });
    expect((await put({ ...POOL, size: 1 }, tenantSession)).status).toBe(404);
    const bad = await put({ ...POOL, size: 51 }, adminSession);
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { code: "VALIDATION", message: expect.stringContaining("size") } });
    const good = await put({ ...POOL, size: 1 }, adminSession);
    expect(good.status, JSON.stringify(good.json)).toBe(200);
    expect(good.json).toMatchObject({ pool: { ...POOL, size: 1 } });
    const list = await callRoute({ handler: route.GET, method: "GET", path: "/api/v1/admin/warm-pools", as: { session: adminSession } });
    expect(list.json).toMatchObject({ items: [{ ...POOL, size: 1, ready: 0, warming: 0, failed: 0, served: 0 }] });
    expect(await db.prisma.auditEvent.count({ where: { action: "warm-pool.set" } })).toBe(1);
  });
});

describe("concurrent orders against a warm pool on postgres", () => {
  let db: Database;
  afterAll(async () => db?.close());

  it("never gives two orders the same warm guest", async () => {
    db = await freshDatabase("postgres");
    await onboardLabHost(db.prisma, { cpuCount: 64, memoryMb: 1_000_000, vcpuOvercommit: 1 });
    const admin = await makeUser(db.prisma, { isAdmin: true });
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 5 } });
    expect((await refillWarmPools({ prisma: db.prisma })).started).toHaveLength(5);
    await db.prisma.virtualMachine.updateMany({ where: { teamId: null }, data: { state: "RUNNING", readyAt: new Date() } });
    const tenants = await Promise.all(Array.from({ length: 4 }, () => makeTenant(db.prisma, { maxVms: 10 })));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const t = tenants[i % tenants.length]!;
        const input = { name: `vm-${i}`, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: t.sshKey.id };
        return placeOrder({ prisma: db.prisma, principal: t.principal, teamSlug: t.team.slug, input });
      }),
    );
    const warm = results.filter((r) => r.vm.warmClaimedAt !== null);
    expect(warm).toHaveLength(5);
    expect(new Set(warm.map((r) => r.vm.id)).size).toBe(5);
    expect(await db.prisma.job.count({ where: { kind: "vm.personalise" } })).toBe(5);
    expect(await db.prisma.job.count({ where: { kind: "vm.provision" } })).toBe(15);
    // Each warm guest now belongs to exactly the team whose order took it.
    const rows = await db.prisma.virtualMachine.findMany({ where: { id: { in: warm.map((r) => r.vm.id) } } });
    for (const r of warm) expect(rows.find((v) => v.id === r.vm.id)!.teamId).toBe(r.vm.teamId);
  }, 120_000);
});

/** A portal process (tests/helpers/warm-order-child.ts) holding orders until it is told "go". */
function orderingProcess(url: string, orders: unknown[]) {
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/warm-order-child.ts")], {
    cwd: root,
    env: { ...process.env, WARM_ORDER_DB_URL: url, WARM_ORDER_ORDERS: JSON.stringify(orders) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", () => reject(new Error(`ordering process exited before it was ready:\n${err}`)));
  });
  ready.catch(() => undefined);
  const results = new Promise<{ name: string; vmId?: string; warm?: boolean; error?: string }[]>((resolve, reject) =>
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`ordering process ended ${code}:\n${err}`));
      else resolve(JSON.parse(line.slice(7)));
    }),
  );
  results.catch(() => undefined);
  return { ready, go: () => child.stdin.end("go\n"), results, kill: () => child.kill("SIGKILL") };
}

describe("orders from two portal processes against a warm pool on postgres", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const children: ReturnType<typeof orderingProcess>[] = [];
  afterAll(async () => {
    for (const c of children) c.kill();
    await db?.close();
  });

  it("never gives two orders the same warm guest, whichever process placed them", async () => {
    db = await freshDatabase("postgres");
    await onboardLabHost(db.prisma, { cpuCount: 64, memoryMb: 1_000_000, vcpuOvercommit: 1 });
    const admin = await makeUser(db.prisma, { isAdmin: true });
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 4 } });
    expect((await refillWarmPools({ prisma: db.prisma })).started).toHaveLength(4);
    // Ready as a warm boot leaves them (no boot here: the rows are what the claim reads).
    await db.prisma.virtualMachine.updateMany({ where: { teamId: null }, data: { state: "RUNNING", readyAt: new Date() } });
    const tenants = await Promise.all(Array.from({ length: 4 }, () => makeTenant(db.prisma, { maxVms: 10 })));
    // 12 orders, six in each process, each process three tenants' worth, interleaved.
    const ordersOf = (p: number) =>
      Array.from({ length: 6 }, (_, i) => {
        const t = tenants[(i + p) % tenants.length]!;
        const input = { name: `p${p}-vm-${i}`, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: t.sshKey.id };
        return { principal: t.principal, teamSlug: t.team.slug, input };
      });
    const procs = [orderingProcess(db.url!, ordersOf(0)), orderingProcess(db.url!, ordersOf(1))];
    children.push(...procs);
    await Promise.all(procs.map((p) => p.ready));
    for (const p of procs) p.go();
    const [a, b] = await Promise.all(procs.map((p) => p.results));
    const all = [...a!, ...b!];
    expect(all.filter((r) => r.error)).toEqual([]);
    const warm = all.filter((r) => r.warm);
    expect(warm).toHaveLength(4);
    expect(new Set(warm.map((r) => r.vmId)).size).toBe(4);
    // Each guest is the VM of the one order that reported it, in whichever process.
    const guests = await db.prisma.virtualMachine.findMany({ where: { warmPoolId: { not: null } } });
    expect(guests.every((g) => g.teamId !== null && g.warmClaimedAt !== null)).toBe(true);
    for (const r of warm) expect(guests.find((g) => g.id === r.vmId)!.name).toBe(r.name);
    expect(await db.prisma.job.count({ where: { kind: "vm.personalise" } })).toBe(4);
    expect(await db.prisma.job.count({ where: { kind: "vm.provision" } })).toBe(8);
    expect(await db.prisma.vmEvent.count({ where: { kind: "ordered", message: { contains: "served from the warm pool" } } })).toBe(4);
  }, 120_000);
});
