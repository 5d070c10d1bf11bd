import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { createSshPool } from "@/lib/ssh/pool";
import { createIpPool } from "@/lib/network/create-ip-pool";
import { listIpPools } from "@/lib/network/list-ip-pools";
import { setTeamQuota } from "@/lib/teams/quota";
import { PG_ADMIN_URL } from "@/tests/helpers/db";
import { getLab, rootVirsh } from "@/tests/helpers/lab";
import { findOrphans } from "@/tests/helpers/provision-lab";
import { launchBrowser } from "./harness/browser";
import {
  holdBuildLockShared,
  startPortal,
  startWorker,
  stopProcesses,
  tailLog,
  type DeploymentEnv,
  type ManagedProcess,
  type StopResult,
} from "./harness/processes";

// Issue 8, live: two portal replicas (A, B) and three workers (W1–W3) as separate processes on one
// PostgreSQL database. Sessions, orders, jobs, SSE progress and schedules must behave as with one
// process: every order answered once, every job run once by one worker, every schedule once per
// interval cluster-wide. Figures go to the console and docs/scale-out.md.

const runId = `scale-${Date.now().toString(36)}`;
const admin = { email: "admin@scale.e2e.skjold.test", password: "scale-e2e-admin-password" };
const WORKER_IDS = ["scale-w1", "scale-w2", "scale-w3"];
const lab = getLab();
const tenantKey = generateKeyPair({ comment: "ops@scale" });
const figures: Record<string, unknown> = {};

type Reply = { status: number; body: any };
/** One HTTP client per signed-in session: the same cookie works against any replica. */
function client(cookie: string) {
  return async (base: string, method: string, url: string, data?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = { cookie, origin: base };
    if (data !== undefined) headers["content-type"] = "application/json";
    const r = await fetch(`${base}${url}`, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
}

async function signIn(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(admin),
  });
  if (!r.ok) throw new Error(`sign-in on ${base} failed: ${r.status} ${await r.text()}`);
  const set = r.headers.getSetCookie().find((c) => c.startsWith("skjold_session="));
  return set!.split(";")[0]!;
}

/** Reads a Server-Sent Events stream until an `end` event (or the signal aborts). */
async function readEvents(url: string, cookie: string, signal: AbortSignal): Promise<{ event: string; data: any }[]> {
  const r = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal });
  if (r.status !== 200) throw new Error(`SSE ${url}: ${r.status} ${await r.text()}`);
  const events: { event: string; data: any }[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
      const frame = buffer.slice(0, i).split("\n");
      buffer = buffer.slice(i + 2);
      const event = frame.find((l) => l.startsWith("event: "))?.slice(7);
      const data = frame.find((l) => l.startsWith("data: "))?.slice(6);
      if (event && data) events.push({ event, data: JSON.parse(data) });
      if (event === "end") return events;
    }
  }
  return events;
}

/** Polls `read` every `ms` until stopped (observing leases and schedule winners from outside). */
function observe(read: () => Promise<void>, ms: number): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await read().catch(() => undefined);
      await new Promise((r) => setTimeout(r, ms));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Transient retries a worker logged for a job, per step key (run-job.ts: "… attempt n/m failed, retrying …"). */
function loggedRetries(workers: readonly ManagedProcess[], jobId: string): Map<string, number> {
  const line = new RegExp(`\\[job [\\w.:-]+ ${jobId}\\] ([\\w.:-]+): attempt \\d+/\\d+ failed, retrying`, "g");
  const retries = new Map<string, number>();
  for (const w of workers)
    for (const m of readFileSync(w.logFile, "utf8").matchAll(line)) retries.set(m[1]!, (retries.get(m[1]!) ?? 0) + 1);
  return retries;
}

/** Destroys what this database's VMs left on the lab (a failed run must not leave guests behind). */
function removeLeftovers(domainNames: string[]): string[] {
  const removed: string[] = [];
  const attempt = (...args: string[]) => {
    try {
      rootVirsh(...args);
      removed.push(args.join(" "));
    } catch {
      /* not there: nothing to remove */
    }
  };
  for (const d of domainNames) {
    attempt("destroy", d);
    attempt("undefine", d);
    for (const v of [`${d}.qcow2`, `${d}-seed.img`]) attempt("vol-delete", "--pool", lab.pool, v);
  }
  return removed;
}

describe("scale-out: 2 portals + 3 workers on one PostgreSQL", () => {
  const dbName = `skjold_scale_${randomBytes(5).toString("hex")}`;
  const dbUrl = Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${dbName}` }).toString();
  const deployment: DeploymentEnv = { databaseUrl: dbUrl, secretKey: randomBytes(32).toString("base64"), runId };
  const dataRoot = path.resolve(import.meta.dirname, `../.skjold/${runId}`);
  const slug = `scale-${randomBytes(3).toString("hex")}`;
  let lock: { release(): void } | undefined;
  let A: ManagedProcess, B: ManagedProcess;
  let workers: ManagedProcess[] = [];
  let workersStartedAt = 0;
  let workersStopped: StopResult[] | undefined;
  let db: Database;
  let browser: Browser | undefined;
  let call: ReturnType<typeof client>;
  let cookie = "";
  const leases = new Map<string, Set<string>>(); // job id → every lockedBy seen while it ran
  const winners: { schedule: string; run: number; by: string | null }[] = [];
  let observers: { stop(): Promise<void> }[] = [];
  const accepted: { vmId: string; jobId: string; via: string }[] = [];

  /** The platform admin as lib/ functions take them, for set-up the API has no call for. */
  const adminPrincipal = async () => {
    const adminUser = await db.prisma.user.findUniqueOrThrow({ where: { email: admin.email } });
    return {
      kind: "user" as const,
      userId: adminUser.id,
      email: adminUser.email,
      name: adminUser.name,
      isAdmin: true,
      locale: "en",
      sessionId: "test",
    };
  };
  const adminSql = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  const allLogs = () =>
    [A, B, ...workers]
      .filter(Boolean)
      .map((p) => tailLog(p, 25))
      .join("\n");
  /** Runs `fn`; on failure, the tails of every process log are attached to the error. */
  const withLogs = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      console.error(allLogs());
      throw err;
    }
  };

  /**
   * A job ran exactly once: one claim, every step started once, unless a worker logged a transient
   * retry (a guest slow to answer on a loaded lab); then each retry accounts for exactly one more
   * claim and one more start of the step that failed, and nothing else ran again.
   */
  const expectRanOnce = async (jobId: string): Promise<{ worker: string; retries: number }> => {
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: { orderBy: { seq: "asc" } } } });
    const retries = loggedRetries(workers, jobId);
    const total = [...retries.values()].reduce((a, b) => a + b, 0);
    expect(job.state).toBe("SUCCEEDED");
    expect(job.attempts, `claims of ${job.kind} ${jobId} (retries logged: ${total})`).toBe(1 + total);
    expect(job.steps.map((s) => `${s.key}:${s.state}:${s.attempts}`)).toEqual(
      job.steps.map((s) => `${s.key}:SUCCEEDED:${1 + (retries.get(s.key) ?? 0)}`),
    );
    const seen = [...(leases.get(jobId) ?? [])];
    expect(seen.length, `leases of ${jobId}: ${seen.join(", ")}`).toBeLessThanOrEqual(job.attempts);
    for (const lease of seen) expect(WORKER_IDS).toContain(lease.split("#")[0]);
    return { worker: seen.map((l) => l.split("#")[0]).join("+"), retries: total };
  };

  beforeAll(async () => {
    await adminSql(`CREATE DATABASE ${dbName}`);
    lock = await holdBuildLockShared();
    const portal = (name: string) =>
      startPortal({ ...deployment, name, adminEmail: admin.email, adminPassword: admin.password, dataDir: path.join(dataRoot, name) });
    A = await portal("portal-a"); // first: migrates and seeds the empty database
    B = await portal("portal-b");
    db = await openDatabase({ kind: "postgres", url: dbUrl, poolSize: 3 });
  });

  afterAll(async () => {
    await Promise.all(observers.map((o) => o.stop()));
    await browser?.close();
    await stopProcesses([...workers, A, B]);
    if (db) {
      const vms = await db.prisma.virtualMachine.findMany({ select: { domainName: true } });
      const removed = removeLeftovers(vms.map((v) => v.domainName));
      if (removed.length) console.warn(`[scale-out] removed leftovers from the lab host: ${removed.join("; ")}`);
      await db.close();
    }
    lock?.release();
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataRoot, { recursive: true, force: true }); // the logs stay, under .skjold/logs
    console.log(`[scale-out] figures\n${JSON.stringify(figures, null, 2)}`);
  });

  it(
    "onboards the lab host, its image and a loopback probe target through portal A's admin API",
    () =>
      withLogs(async () => {
        cookie = await signIn(A.baseUrl!);
        call = client(cookie);
        const added = await call(A.baseUrl!, "POST", "/api/v1/admin/hosts", {
          name: `lab-${runId.slice(-6)}`,
          regionCode: "osl1",
          address: lab.address,
          port: lab.port,
          username: lab.username,
          keyMode: "paste",
          privateKey: lab.target.privateKey,
          networkMode: "USER_FORWARD",
        });
        expect(added.status, JSON.stringify(added.body)).toBe(200);
        expect(added.body.presentedFingerprint).toBe(lab.hostKeyFingerprint);
        const hostId = added.body.host.id as string;
        const confirmed = await call(A.baseUrl!, "POST", `/api/v1/admin/hosts/${hostId}/confirm-key`, {
          fingerprint: lab.hostKeyFingerprint,
          probeKernelPath: lab.image.kernelPath,
        });
        expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
        expect(confirmed.body.error).toBeNull();
        const image = await call(A.baseUrl!, "POST", "/api/v1/admin/images", {
          hostId,
          imageSlug: "debian-12",
          pool: lab.pool,
          volume: lab.image.volume,
          kernelPath: lab.image.kernelPath,
          initrdPath: lab.image.initrdPath,
          expectedSha256: lab.image.sha256,
        });
        expect(image.status, JSON.stringify(image.body)).toBe(200);
        const target = await call(A.baseUrl!, "POST", "/api/v1/admin/latency/targets", {
          exchange: "NIX",
          name: "lab sshd (loopback)",
          address: "127.0.0.1",
          port: lab.port,
          method: "tcp",
          count: 1,
          intervalSec: 30,
        });
        expect(target.status, JSON.stringify(target.body)).toBe(201);
        const host = await db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
        expect(host.status).toBe("ONLINE");
        figures.accelerator = host.accelerator;
      }),
    300_000,
  );

  it(
    "starts three workers beside the portals; each ticks the schedules",
    () =>
      withLogs(async () => {
        workersStartedAt = Date.now();
        workers = await Promise.all(WORKER_IDS.map((workerId) => startWorker({ ...deployment, workerId })));
        observers.push(
          observe(async () => {
            for (const j of await db.prisma.job.findMany({ where: { lockedBy: { not: null } }, select: { id: true, lockedBy: true } })) {
              leases.set(j.id, (leases.get(j.id) ?? new Set()).add(j.lockedBy!));
            }
          }, 150),
          observe(async () => {
            for (const s of await db.prisma.schedule.findMany()) {
              const seen = winners.filter((w) => w.schedule === s.name).length;
              for (let run = seen + 1; run <= s.runs; run++)
                winners.push({ schedule: s.name, run, by: run === s.runs ? s.lastRunBy : null });
            }
          }, 500),
        );
      }),
    300_000,
  );

  it(
    "keeps a session across replicas: signed in on A, valid on B, signed out everywhere on B, refused on A",
    () =>
      withLogs(async () => {
        const other = await signIn(A.baseUrl!);
        expect((await client(other)(B.baseUrl!, "GET", "/api/v1/teams")).status).toBe(200);
        browser = await launchBrowser();
        const context = await browser.newContext({ baseURL: B.baseUrl });
        const [name, value] = other.split("=") as [string, string];
        await context.addCookies([{ name, value, url: B.baseUrl! }]);
        const page = await context.newPage();
        await page.goto("/account");
        await page.getByRole("button", { name: "Sign out everywhere" }).click();
        await page.waitForURL(/\/sign-in/);
        await context.close();
        for (const c of [other, cookie]) expect((await client(c)(A.baseUrl!, "GET", "/api/v1/teams")).status).toBe(401);
        cookie = await signIn(B.baseUrl!); // a new session, made on B, for the rest of the spec
        call = client(cookie);
        expect((await call(A.baseUrl!, "GET", "/api/v1/teams")).status).toBe(200);
      }),
    120_000,
  );

  it(
    "answers 100 concurrent orders (half on A, half on B) for a 2-VM quota: exactly 2 accepted, 98 refused",
    () =>
      withLogs(async () => {
        expect((await call(A.baseUrl!, "POST", "/api/v1/teams", { name: "Skalering AS", slug })).status).toBe(201);
        const principal = await adminPrincipal();
        await setTeamQuota({
          prisma: db.prisma,
          principal,
          teamSlug: slug,
          input: { maxVms: 2, maxVcpus: 32, maxMemoryMb: 65_536, maxDiskGb: 1000 },
        });
        const key = await call(B.baseUrl!, "POST", "/api/v1/account/keys", { name: "ops", publicKey: tenantKey.publicKey });
        expect(key.status, JSON.stringify(key.body)).toBe(201);
        const orders = Array.from({ length: 100 }, (_, i) => ({ via: i % 2 ? B : A, name: `vm-${String(i).padStart(3, "0")}` }));
        const replies = await Promise.all(
          orders.map(async (o) => ({
            ...o,
            reply: await call(o.via.baseUrl!, "POST", `/api/v1/teams/${slug}/vms`, {
              name: o.name,
              regionCode: "osl1",
              planCode: "nano",
              imageSlug: "debian-12",
              sshKeyId: key.body.id,
            }),
          })),
        );
        const tally = new Map<string, number>();
        for (const { reply } of replies) {
          const outcome = `${reply.status} ${reply.body?.error?.code ?? ""}`.trim();
          tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        }
        figures.orders = Object.fromEntries(tally);
        for (const r of replies)
          if (r.reply.status === 202) accepted.push({ vmId: r.reply.body.vmId, jobId: r.reply.body.jobId, via: r.via.name });
        expect(Object.fromEntries(tally)).toEqual({ "202": 2, "409 QUOTA_EXCEEDED": 98 });
        const refusal = replies.find((r) => r.reply.status === 409)!.reply.body.error.message as string;
        figures.refusal = refusal;
        expect(refusal).toMatch(/quota allows 2 VMs; 2 are in use/);
        // Nothing else was created: two VMs, two provisioning jobs, two audited orders.
        const team = await db.prisma.team.findUniqueOrThrow({ where: { slug } });
        expect(await db.prisma.virtualMachine.count({ where: { teamId: team.id } })).toBe(2);
        expect((await db.prisma.job.findMany({ where: { kind: "vm.provision" } })).map((j) => j.id).sort()).toEqual(
          accepted.map((a) => a.jobId).sort(),
        );
        expect(await db.prisma.auditEvent.count({ where: { action: "vm.order" } })).toBe(2);
      }),
    180_000,
  );

  it(
    "runs both provisioning jobs exactly once on the workers, streamed live from B, to guests that answer SSH",
    () =>
      withLogs(async () => {
        const [first] = accepted;
        const events = await readEvents(
          `${B.baseUrl}/api/v1/teams/${slug}/vms/${first!.vmId}/events`,
          cookie,
          AbortSignal.timeout(840_000),
        );
        const snapshots = events.filter((e) => e.event === "snapshot").map((e) => e.data);
        expect(snapshots[0].done, "the stream joined before the job ended").toBe(false);
        expect(events.at(-1), JSON.stringify(events.at(-1))).toEqual({ event: "end", data: { state: "SUCCEEDED" } });
        // Each step was seen moving forward only (PENDING → RUNNING → SUCCEEDED), and most were seen mid-way.
        const order = { PENDING: 0, RUNNING: 1, SUCCEEDED: 2 } as Record<string, number>;
        const lastSeen = new Map<string, number>();
        const transitions = new Set<string>();
        for (const s of snapshots)
          for (const step of s.steps) {
            const rank = order[step.state] ?? -1;
            expect(rank, `${step.key} went ${step.state}`).toBeGreaterThanOrEqual(lastSeen.get(step.key) ?? 0);
            if (rank > (lastSeen.get(step.key) ?? 0)) transitions.add(`${step.key}:${step.state}`);
            lastSeen.set(step.key, rank);
          }
        figures.sse = { snapshots: snapshots.length, transitions: transitions.size, steps: snapshots.at(-1).steps.length };
        expect([...transitions].filter((t) => t.endsWith(":RUNNING")).length).toBeGreaterThan(2);
        await expect
          .poll(async () => (await db.prisma.job.findMany({ where: { id: { in: accepted.map((a) => a.jobId) } } })).map((j) => j.state), {
            timeout: 300_000,
            interval: 1000,
          })
          .toEqual(["SUCCEEDED", "SUCCEEDED"]);

        const domains = rootVirsh("list", "--all", "--name")
          .split("\n")
          .map((l) => l.trim());
        const pool = createSshPool({ connectTimeoutMs: 20_000 });
        const ranBy: { worker: string; retries: number }[] = [];
        try {
          for (const a of accepted) {
            const ran = await expectRanOnce(a.jobId);
            expect(ran.worker).not.toBe(""); // seen holding the job while it ran
            ranBy.push(ran);
            const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: a.vmId } });
            expect(vm.state).toBe("RUNNING");
            expect(domains.filter((d) => d === vm.domainName)).toHaveLength(1);
            expect(rootVirsh("domstate", vm.domainName).trim()).toBe("running");
            const target = {
              label: `ops@${vm.name}`,
              host: "127.0.0.1",
              port: vm.sshPort!,
              username: vm.adminUser,
              privateKey: tenantKey.privateKey,
              hostKeyFingerprint: vm.guestHostKeyFingerprint,
              via: lab.target,
            };
            const r = await pool.exec({ target, argv: ["hostname"], step: "scale-out tenant login" });
            expect(r.stdout.trim()).toBe(vm.name);
          }
        } finally {
          await pool.close();
        }
        figures.provisionedBy = ranBy;
      }),
    900_000,
  );

  it(
    "deletes both VMs through the API (one via A, one via B) and leaves nothing on the host",
    () =>
      withLogs(async () => {
        const vms = await db.prisma.virtualMachine.findMany({ where: { id: { in: accepted.map((a) => a.vmId) } } });
        const jobs = await Promise.all(
          accepted.map(async (a, i) => {
            const r = await call([A, B][i]!.baseUrl!, "DELETE", `/api/v1/teams/${slug}/vms/${a.vmId}`);
            expect(r.status, JSON.stringify(r.body)).toBe(202);
            return r.body.jobId as string;
          }),
        );
        for (const a of accepted) {
          await expect
            .poll(async () => (await call(B.baseUrl!, "GET", `/api/v1/teams/${slug}/vms/${a.vmId}`)).body?.vm?.state, {
              timeout: 240_000,
              interval: 1000,
            })
            .toBe("DELETED");
        }
        figures.deletedBy = await Promise.all(jobs.map((id) => expectRanOnce(id)));
        const domains = rootVirsh("list", "--all", "--name");
        for (const vm of vms) expect(domains).not.toContain(vm.domainName);
        expect(await findOrphans(db, lab)).toEqual([]);
      }),
    300_000,
  );

  it(
    "stops the workers cleanly on SIGTERM: no job left RUNNING with a live lease",
    () =>
      withLogs(async () => {
        await Promise.all(observers.map((o) => o.stop()));
        observers = [];
        workersStopped = await stopProcesses(workers, 40_000);
        figures.workerSeconds = Math.round((Date.now() - workersStartedAt) / 1000);
        for (const s of workersStopped) {
          expect(s, `${s.name}\n${tailLog(workers.find((w) => w.name === s.name)!)}`).toEqual({
            name: s.name,
            code: 0,
            signal: null,
            killed: false,
          });
          expect(readFileSync(workers.find((w) => w.name === s.name)!.logFile, "utf8")).toContain(`[worker ${s.name}] stopped`);
        }
        expect(await db.prisma.job.count({ where: { state: "RUNNING" } })).toBe(0);
        expect(await db.prisma.job.count({ where: { lockedUntil: { gt: new Date() } } })).toBe(0);
      }),
    120_000,
  );

  it(
    "ran each schedule once per interval cluster-wide, won by different workers",
    () =>
      withLogs(async () => {
        const elapsedSec = figures.workerSeconds as number;
        const rows = await db.prisma.schedule.findMany({ orderBy: { name: "asc" } });
        const report: Record<string, unknown> = {};
        for (const s of rows) {
          const bound = Math.ceil(elapsedSec / s.intervalSec) + 1;
          report[s.name] = { intervalSec: s.intervalSec, runs: s.runs, atMost: bound, lastRunBy: s.lastRunBy };
          expect(s.runs, s.name).toBeGreaterThanOrEqual(1);
          expect(s.runs, `${s.name} ran ${s.runs} times in ${elapsedSec} s`).toBeLessThanOrEqual(bound);
        }
        expect(rows.map((r) => r.name)).toEqual([
          "db.statistics",
          "hosts.health",
          "hosts.reconcile",
          "latency.probe",
          "latency.rollup",
          "private-networks.converge",
          "residency.verify",
          "vms.finish-rollbacks",
          "vms.refill-warm-pools",
        ]);
        const probe = rows.find((r) => r.name === "latency.probe")!;
        expect(probe.runs).toBeGreaterThanOrEqual(Math.max(1, Math.floor(elapsedSec / 60) - 1));
        // Each claim of the probe ran exactly one round: one TCP sample of the loopback target per run.
        const samples = await db.prisma.latencySample.count();
        report.latencySamples = samples;
        expect(samples).toBe(probe.runs);
        const by = new Map<string, number>();
        for (const w of winners) if (w.by) by.set(w.by, (by.get(w.by) ?? 0) + 1);
        report.winners = Object.fromEntries(by);
        figures.schedules = report;
        for (const id of by.keys()) expect(WORKER_IDS).toContain(id);
        expect(by.size, JSON.stringify(winners)).toBeGreaterThanOrEqual(2);
      }),
    60_000,
  );
  it(
    "hands 200 concurrent orders (half on A, half on B) each its own IPv4 and IPv6 /64, none twice, the pools' use adding up",
    () =>
      withLogs(async () => {
        // The workers are stopped: the orders' jobs stay queued, so this routed host (in the database
        // only, never reached) needs no network. The lab host is drained so placement picks it.
        const principal = await adminPrincipal();
        await db.prisma.host.updateMany({ data: { draining: true } });
        const region = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
        const image = await db.prisma.image.findUniqueOrThrow({ where: { slug: "debian-12" } });
        const host = await db.prisma.host.create({
          data: {
            name: "routed-burst",
            regionId: region.id,
            address: "203.0.113.250",
            username: "skjold",
            privateKeyEnc: "never-used",
            publicKey: "ssh-ed25519 AAAA never-used",
            status: "ONLINE",
            networkMode: "ROUTED",
            uplink: "eth0",
            guestAccess: "DIRECT",
            cpuCount: 64,
            memoryMb: 262_144,
            vcpuOvercommit: 4,
          },
        });
        const storage = await db.prisma.storagePool.create({
          data: { hostId: host.id, name: "nvme", path: "/srv/nvme", capacityBytes: 8n * 2n ** 40n, availableBytes: 8n * 2n ** 40n },
        });
        await db.prisma.imageCopy.create({
          data: {
            imageId: image.id,
            hostId: host.id,
            poolId: storage.id,
            volume: "base.qcow2",
            checksumSha256: "0".repeat(64),
            sizeBytes: 1n,
          },
        });
        for (const input of [
          { name: "burst-v4", family: "IPV4", kind: "routed", hostName: host.name, cidr: "198.51.100.0/24" },
          { name: "burst-v6", family: "IPV6", kind: "routed", hostName: host.name, cidr: "2001:db8:1300::/56" },
        ])
          await createIpPool({ prisma: db.prisma, principal, input: { regionCode: "osl1", dns: ["2001:db8::53"], ...input } });
        const burst = `${slug}-ip`;
        expect((await call(A.baseUrl!, "POST", "/api/v1/teams", { name: "Adresser AS", slug: burst })).status).toBe(201);
        await setTeamQuota({
          prisma: db.prisma,
          principal,
          teamSlug: burst,
          input: { maxVms: 200, maxVcpus: 200, maxMemoryMb: 200 * 1024, maxDiskGb: 4000 },
        });
        const keys = (await call(B.baseUrl!, "GET", "/api/v1/account/keys")).body.items as { id: string }[];
        const replies = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            call((i % 2 ? B : A).baseUrl!, "POST", `/api/v1/teams/${burst}/vms`, {
              name: `ip-${String(i).padStart(3, "0")}`,
              regionCode: "osl1",
              planCode: "nano",
              imageSlug: "debian-12",
              sshKeyId: keys[0]!.id,
            }),
          ),
        );
        const tally = new Map<string, number>();
        for (const r of replies)
          tally.set(
            `${r.status} ${r.body?.error?.code ?? ""}`.trim(),
            (tally.get(`${r.status} ${r.body?.error?.code ?? ""}`.trim()) ?? 0) + 1,
          );
        figures.addressOrders = Object.fromEntries(tally);
        expect(Object.fromEntries(tally)).toEqual({ "202": 200 });
        const team = await db.prisma.team.findUniqueOrThrow({ where: { slug: burst } });
        const vms = await db.prisma.virtualMachine.findMany({ where: { teamId: team.id } });
        expect(vms.length).toBe(200);
        for (const vm of vms) expect(vm.hostId).toBe(host.id);
        expect(new Set(vms.map((v) => v.ipAddress)).size).toBe(200);
        expect(new Set(vms.map((v) => v.ipv6Prefix)).size).toBe(200);
        expect(new Set(vms.map((v) => v.macAddress)).size).toBe(200);
        for (const vm of vms) {
          expect(vm.ipAddress).toMatch(/^198\.51\.100\.\d+$/);
          expect(vm.ipv6Prefix).toMatch(/^2001:db8:1300:[0-9a-f]{1,2}::\/64$/);
        }
        const { items } = await listIpPools({ prisma: db.prisma, principal, regionCode: "osl1", page: { limit: 50 } });
        expect(items.map((p) => [p.name, p.use.held, p.use.quarantined])).toEqual([
          ["burst-v4", 200, 0],
          ["burst-v6", 200, 0],
        ]);
        expect(await db.prisma.addressEvent.count({ where: { teamId: team.id, action: "ASSIGN" } })).toBe(400);
      }),
    240_000,
  );
});
