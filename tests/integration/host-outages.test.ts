import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/lib/auth/session";
import type { AppError } from "@/lib/core/errors";
import { getHostOutageWait } from "@/lib/hosts/get-host-outage-wait";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { setHostOutageWait } from "@/lib/hosts/set-host-outage-wait";
import { runSchedules } from "@/lib/jobs/schedules";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { jobRegistry, listSchedules } from "@/lib/runtime/registry";
import { finishIncompleteRollbacks } from "@/lib/vms/provision/finish-rollbacks";
import { placeOrder } from "@/lib/vms/order/place-order";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { DB_KINDS, type DbKind, freshDatabase } from "@/tests/helpers/db";
import { makeUser } from "@/tests/helpers/factories";
import { makeTenant, onboardLabHost, removeLeftoverVms, waitForJob } from "@/tests/helpers/provision-lab";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";
import { TcpProxy } from "@/tests/helpers/tcp-proxy";

// Host outages during an order, on the real lab host behind a TCP proxy of this file's own (the
// shared lab sshd is never touched): the host record points at the proxy, which the test closes
// (connections refused) or makes drop every connection before the SSH handshake, and then opens again.
// A short outage: the job waits (the host marked unreachable at its first failure, one event saying
// so) and the order completes once the host is back. A long one: past the admin's limit the order
// fails, the rollback says what it left, and the scheduled clean-up removes it once the host answers.
// One guest boots to SSH (the short outage); the long outage's guest is destroyed right after its
// start, as a host restart would.

vi.mock("server-only", () => ({}));

const outageWaitRoute = await import("@/app/api/v1/admin/hosts/outage-wait/route");

const virsh = (...args: string[]) => spawnSync("virsh", ["-q", "-c", "qemu:///system", ...args], { encoding: "utf8" });

function harness(kind: DbKind) {
  const h = {} as {
    db: Awaited<ReturnType<typeof freshDatabase>>;
    env: Awaited<ReturnType<typeof onboardLabHost>>;
    tenant: Awaited<ReturnType<typeof makeTenant>>;
    admin: Awaited<ReturnType<typeof makeUser>>["principal"];
    proxy: TcpProxy;
    worker?: WorkerHandle;
    logs: string[];
  };
  h.logs = [];
  let n = 0;
  beforeAll(async () => {
    h.db = await freshDatabase(kind);
    h.env = await onboardLabHost(h.db.prisma);
    h.proxy = new TcpProxy({ host: h.env.lab.address, port: h.env.lab.port });
    await h.proxy.open();
    await h.db.prisma.host.update({ where: { id: h.env.host.id }, data: { port: h.proxy.port } });
    h.tenant = await makeTenant(h.db.prisma);
    h.admin = (await makeUser(h.db.prisma, { isAdmin: true })).principal;
  });
  afterAll(async () => {
    await h.worker?.stop({ graceMs: 1_000 });
    await h.proxy?.close();
    await sharedSshPool().close();
    await removeLeftoverVms(h.db, h.env?.lab.pool);
    await h.db?.close();
  });
  const api = {
    h,
    hostRow: () => h.db.prisma.host.findUniqueOrThrow({ where: { id: h.env.host.id } }),
    events: (vmId: string) => h.db.prisma.vmEvent.findMany({ where: { vmId }, orderBy: { id: "asc" } }),
    order: async () => {
      const placed = await placeOrder({
        prisma: h.db.prisma,
        principal: h.tenant.principal,
        teamSlug: h.tenant.team.slug,
        input: { name: `out-${++n}`, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: h.tenant.sshKey.id },
      });
      h.worker ??= startWorker({ prisma: h.db.prisma, registry: jobRegistry, pollMs: 100, leaseMs: 10_000, log: (l) => h.logs.push(l) });
      h.worker.wake();
      return placed;
    },
    until: async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> => {
      const started = Date.now();
      for (;;) {
        const v = await read();
        if (ok(v) || Date.now() - started > ms) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  return api;
}

describe.each(DB_KINDS)("a host that stays unreachable past the wait limit (%s)", (kind) => {
  const { h, hostRow, events, order, until } = harness(kind);

  it("takes the wait limit from an admin only, in the portal's API: validated and audited", async () => {
    useDatabaseForRoutes(h.db);
    const session = async (userId: string) => (await createSession({ prisma: h.db.prisma, userId, mfaVerified: true })).token;
    const admin = { session: await session(h.admin.userId) };
    const tenant = { session: await session(h.tenant.user.id) };
    const path = "/api/v1/admin/hosts/outage-wait";
    const get = (as: { session: string }) => callRoute({ handler: outageWaitRoute.GET, method: "GET", path, as });
    const put = (as: { session: string }, body: unknown) =>
      callRoute({ handler: outageWaitRoute.PUT, method: "PUT", path, as, body: JSON.stringify(body), contentType: "application/json" });
    expect((await get(admin)).json).toEqual({ waitSeconds: 900, defaultSeconds: 900, maxSeconds: 86_400 });
    expect((await get(tenant)).status).toBe(404);
    expect((await put(tenant, { waitSeconds: 20 })).status).toBe(404);
    for (const bad of [{ waitSeconds: -1 }, { waitSeconds: 86_401 }, { waitSeconds: "soon" }, { waitSeconds: 20, extra: 1 }]) {
      expect((await put(admin, bad)).status, JSON.stringify(bad)).toBe(422);
    }
    expect(await put(admin, { waitSeconds: 20 })).toMatchObject({ status: 200, json: { waitSeconds: 20 } });
    expect((await getHostOutageWait({ prisma: h.db.prisma, principal: h.admin })).waitSeconds).toBe(20);
    const audit = await h.db.prisma.auditEvent.findMany({ where: { action: "host.outage-wait" } });
    expect(audit).toMatchObject([
      { actorUserId: h.admin.userId, targetId: "hosts.outageWaitSeconds", details: { before: 900, after: 20 } },
    ]);
    const refused = await setHostOutageWait({ prisma: h.db.prisma, principal: h.tenant.principal, input: { waitSeconds: 1 } }).catch(
      (e: AppError) => e.code,
    );
    expect(refused).toBe("NOT_FOUND");
  });

  it("fails the order after the limit, says what the rollback left, and removes it once the host answers", async () => {
    const { vm, jobId } = await order();
    const started = await waitForJob(h.db, jobId, (s) => s.steps.some((x) => x.key === "define-start" && x.state === "SUCCEEDED"));
    expect(started.done, h.logs.join("\n")).toBe(false);
    // The host restarts: its sshd drops every connection before the handshake, and its guests are gone.
    h.proxy.drop();
    expect(virsh("destroy", vm.domainName).status).toBe(0);

    const down = await until(hostRow, (x) => x.status === "OFFLINE");
    expect(down.status, h.logs.join("\n")).toBe("OFFLINE");
    expect(down.lastError).toMatch(new RegExp(`^${h.env.host.name}: .*cannot connect over SSH \\(Connection lost before handshake\\)`));
    const waiting = await until(
      () => events(vm.id),
      (e) => e.some((x) => x.kind === "host-waiting"),
    );
    expect(waiting.filter((e) => e.kind === "host-waiting")).toHaveLength(1);

    const end = await waitForJob(h.db, jobId, () => false, 240_000);
    expect(end.state, h.logs.join("\n")).toBe("FAILED");
    expect(end.lastError).toMatch(
      new RegExp(`waited \\d+ s for ${h.env.host.name} to answer again; the limit is 20 s\\); rollback incomplete: .*place: `),
    );
    const row = await h.db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row.state).toBe("FAILED");
    expect(row.lastError).toMatch(/; rollback incomplete: define-start: .*clone-and-seed: .*place: /);
    const pool = h.env.lab.pool;
    const items = [
      { kind: "domain", name: vm.domainName },
      { kind: "volume", pool, name: `${vm.domainName}.qcow2` },
      { kind: "volume", pool, name: `${vm.domainName}-seed.img` },
    ];
    expect(row.leftovers).toEqual({ host: h.env.host.name, pool, items });
    const timeline = await events(vm.id);
    const told = timeline.at(-1)!;
    expect(told.kind).toBe("rollback-incomplete");
    expect(told.message).toMatch(
      new RegExp(
        `^Provisioning failed: .*\\. Rollback incomplete: domain ${vm.domainName}, volume ${pool}/${vm.domainName}\\.qcow2, ` +
          `volume ${pool}/${vm.domainName}-seed\\.img may remain on ${h.env.host.name}; Skjold removes them once ${h.env.host.name} ` +
          "answers again\\. Could not undo: define-start: ",
      ),
    );
    expect(timeline.map((e) => e.message).join("\n")).not.toContain("was rolled back");
    // The VM page reads the same: what remains, and that Skjold removes it.
    const detail = await getVmDetail({ prisma: h.db.prisma, principal: h.tenant.principal, teamSlug: h.tenant.team.slug, vmId: vm.id });
    expect(detail.leftovers).toEqual({ host: h.env.host.name, pool, items });
    expect(detail.leftoversRemovedAt).toBeNull();

    // Still on the host, and still there after a clean-up run while the host does not answer.
    expect(virsh("dominfo", vm.domainName).status).toBe(0);
    expect(virsh("vol-info", "--pool", pool, `${vm.domainName}.qcow2`).status).toBe(0);
    expect(virsh("vol-info", "--pool", pool, `${vm.domainName}-seed.img`).status).toBe(0);
    expect(await finishIncompleteRollbacks({ prisma: h.db.prisma })).toEqual({ cleaned: [], unreachable: [h.env.host.name], failed: [] });
    expect(virsh("dominfo", vm.domainName).status).toBe(0);

    // The host is back: the scheduled clean-up removes the leftovers without an admin.
    h.proxy.forward();
    const task = listSchedules().find((t) => t.name === "vms.finish-rollbacks")!;
    expect(await runSchedules({ prisma: h.db.prisma, workerId: "outage-test", tasks: [task] })).toEqual({
      ran: ["vms.finish-rollbacks"],
      failed: [],
    });
    expect(virsh("dominfo", vm.domainName).status).not.toBe(0);
    expect(virsh("vol-info", "--pool", pool, `${vm.domainName}.qcow2`).status).not.toBe(0);
    expect(virsh("vol-info", "--pool", pool, `${vm.domainName}-seed.img`).status).not.toBe(0);
    const cleaned = await h.db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
    expect(cleaned.leftoversRemovedAt).toBeInstanceOf(Date);
    expect((await events(vm.id)).at(-1)).toMatchObject({
      kind: "leftovers-removed",
      message: `${h.env.host.name} answers again: Skjold removed what the failed provisioning had left there (domain ${vm.domainName}, volume ${pool}/${vm.domainName}.qcow2, volume ${pool}/${vm.domainName}-seed.img)`,
    });
    // Reaching it for the clean-up also told placement the host is back.
    expect(await hostRow()).toMatchObject({ status: "ONLINE", unhealthySince: null, lastError: null });
    expect(await finishIncompleteRollbacks({ prisma: h.db.prisma })).toEqual({ cleaned: [], unreachable: [], failed: [] });
  }, 360_000);
});

describe("a host that is unreachable for a while during an order (postgres; one guest boot)", () => {
  const { h, hostRow, events, order, until } = harness("postgres");

  it("waits for the host (marked unreachable at once, said once), and completes the order when it is back", async () => {
    await setHostOutageWait({ prisma: h.db.prisma, principal: h.admin, input: { waitSeconds: 600 } });
    const { vm, jobId } = await order();
    const started = await waitForJob(h.db, jobId, (s) => s.steps.some((x) => x.key === "define-start" && x.state === "SUCCEEDED"));
    expect(started.done, h.logs.join("\n")).toBe(false);
    const cutAt = new Date();
    await h.proxy.close(); // the host's sshd is gone: connections refused

    const down = await until(hostRow, (x) => x.status === "OFFLINE");
    expect(down.status, h.logs.join("\n")).toBe("OFFLINE");
    expect(down.lastError).toMatch(new RegExp(`^${h.env.host.name}: .*cannot connect over SSH \\(ECONNREFUSED\\)`));
    expect(down.unhealthySince!.getTime()).toBeGreaterThanOrEqual(cutAt.getTime() - 1_000);

    // It keeps trying (with backoff), and the timeline says it waits once, not once per try.
    const snapshotOf = () => waitForJob(h.db, jobId, () => true);
    const tried = await until(snapshotOf, (s) => (s.steps.find((x) => x.key === "wait-ssh")?.attempts ?? 0) >= 3);
    expect(tried.done).toBe(false);
    expect(tried.steps.find((x) => x.key === "wait-ssh")!.attempts).toBeGreaterThanOrEqual(3);
    const waiting = (await events(vm.id)).filter((e) => e.kind === "host-waiting");
    expect(waiting).toHaveLength(1);
    const since = `${down.unhealthySince!.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    expect(waiting[0]!.message).toBe(
      `Waiting for host ${h.env.host.name}: unreachable since ${since}. The job goes on when the host answers again (it waits up to 10 min)`,
    );
    expect(waiting[0]!.data).toMatchObject({ host: h.env.host.name, limitSeconds: 600 });
    const job = await h.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.waitingFor).toBe(h.env.host.id);
    expect(job.waitingSince).toBeInstanceOf(Date);

    await h.proxy.open(); // the host is back
    const end = await waitForJob(h.db, jobId, () => false, 480_000);
    expect(end.state, `${h.logs.join("\n")}\n${JSON.stringify(end.steps)}`).toBe("SUCCEEDED");
    expect(end.lastError).toBeNull();
    // Waiting spent no attempt: far fewer attempts than tries of the step that waited.
    const waitSsh = end.steps.find((x) => x.key === "wait-ssh")!;
    expect(end.attempts).toBeLessThan(waitSsh.attempts);
    const row = await h.db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row.state).toBe("RUNNING");
    const timeline = await events(vm.id);
    expect(timeline.filter((e) => e.kind === "host-waiting")).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === "host-back").map((e) => e.message)).toEqual([
      `Host ${h.env.host.name} answers again; the job goes on`,
    ]);
    // The job reached the host again: ONLINE without a health check or an admin.
    expect(await hostRow()).toMatchObject({ status: "ONLINE", unhealthySince: null, lastError: null });
  }, 600_000);
});
