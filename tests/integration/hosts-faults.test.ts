import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { refreshHostFacts } from "@/lib/hosts";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { OUTAGE_WAIT_SETTING } from "@/lib/hosts/outage-wait";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { jobRegistry } from "@/lib/runtime/registry";
import { placeOrder } from "@/lib/vms/order/place-order";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTenant, onboardLabHost, removeLeftoverVms, waitForJob } from "@/tests/helpers/provision-lab";
import { fingerprintOf, TwinSshd } from "@/tests/helpers/twin-sshd";

// Faults met by jobs, on a real sshd of this file's own (the lab's configuration and host key on a
// port of its own; the shared lab sshd is never touched): a job that meets the sshd stopped marks the
// host OFFLINE at once, one that meets another host key marks it KEY_MISMATCH, and the next order
// is refused naming why, without anything run on the host.

describe.each(DB_KINDS)("a host that jobs cannot reach (%s)", (kind) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let worker: WorkerHandle | undefined;
  const sshd = new TwinSshd("skjold-faults-sshd-");
  const logs: string[] = [];
  let n = 0;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    env = await onboardLabHost(db.prisma);
    sshd.useKey("/var/lib/skjold-lab/ssh_host_ed25519_key");
    await sshd.start();
    await db.prisma.host.update({ where: { id: env.host.id }, data: { port: sshd.port } });
    // These jobs fail at their first failed contact, as they did before jobs waited out outages
    // (tests/integration/host-outages.test.ts covers the waiting): no wait for an unreachable host.
    await db.prisma.setting.create({ data: { key: OUTAGE_WAIT_SETTING, value: 0 } });
    tenant = await makeTenant(db.prisma);
  });
  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    sshd.stop();
    await sharedSshPool().close();
    await removeLeftoverVms(db, env?.lab.pool);
    rmSync(sshd.dir, { recursive: true, force: true });
    await db?.close();
  });

  const hostRow = () => db.prisma.host.findUniqueOrThrow({ where: { id: env.host.id } });
  const order = () =>
    placeOrder({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      input: { name: `web-${++n}`, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id },
    });
  const refusal = async () => {
    const err = await order().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };
  /** Runs the job with one attempt (it gives up at the first failure) on a worker without schedules. */
  const runOnce = async (jobId: string, maxAttempts = 1) => {
    await db.prisma.job.update({ where: { id: jobId }, data: { maxAttempts } });
    worker ??= startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 100, leaseMs: 10_000, log: (l) => logs.push(l) });
    worker.wake();
  };
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> => {
    const started = Date.now();
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() - started > ms) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("marks the host OFFLINE as soon as a job meets its sshd stopped, and placement stops choosing it", async () => {
    const { jobId } = await order();
    sshd.stop();
    await sharedSshPool().close();
    await runOnce(jobId);
    const host = await until(hostRow, (h) => h.status === "OFFLINE");
    const failedAt = Date.now();
    expect(host.status, logs.join("\n")).toBe("OFFLINE");
    expect(host.lastError).toMatch(new RegExp(`^${env.host.name}: .*cannot connect over SSH \\(ECONNREFUSED\\)`));
    expect(host.unhealthySince).toBeInstanceOf(Date);
    expect(failedAt - host.unhealthySince!.getTime()).toBeLessThan(10_000);
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(host.unhealthySince!.getTime()).toBeGreaterThanOrEqual(job.startedAt!.getTime() - 1_000);

    const refused = await refusal();
    expect(refused.code).toBe("NO_CAPACITY");
    const since = `${host.unhealthySince!.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    expect(refused.message).toBe(
      `Oslo (osl1) has no healthy host right now (${env.host.name}: offline since ${since}: Skjold cannot reach it over SSH). ` +
        "Nothing was ordered; try another region, or try again once an operator has brought a host back.",
    );
    expect(refused.details).toMatchObject({ cause: "no-healthy-host", hosts: [{ host: env.host.name, fits: false, problem: "offline" }] });
    await waitForJob(db, jobId, () => false, 120_000);
  });

  // Each test below starts from a host that answers, also when vitest retries a test that failed
  // with the twin sshd stopped (otherwise one failure fails every later test as well).
  async function hostAnswers() {
    if (!sshd.running) await sshd.start();
    await refreshHostFacts({ prisma: db.prisma, hostId: env.host.id });
  }

  it("is ONLINE again, the outage forgotten, once the host answers a refresh (the health schedule's)", async () => {
    await sshd.start();
    await refreshHostFacts({ prisma: db.prisma, hostId: env.host.id });
    expect(await hostRow()).toMatchObject({ status: "ONLINE", unhealthySince: null, lastError: null });
  });

  it("says the rollback is incomplete, on the VM and in its events, when the host is gone before it could undo the disk", async () => {
    await hostAnswers();
    const { vm, jobId } = await order();
    await worker?.stop({ graceMs: 0 });
    worker = startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 100, leaseMs: 10_000, log: (l) => logs.push(l) });
    await waitForJob(db, jobId, (j) => j.steps.some((x) => x.key === "clone-and-seed" && x.state === "SUCCEEDED"), 120_000);
    await worker.stop({ graceMs: 0 }); // the step after clone-and-seed is handed back, the disk is on the host
    worker = undefined;
    const { attempts } = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    await db.prisma.job.update({ where: { id: jobId }, data: { maxAttempts: attempts } }); // the next claim gives up
    sshd.stop(); // …and the host is gone when the rollback wants to delete the disk
    await sharedSshPool().close();
    await runOnce(jobId, attempts);
    const end = await waitForJob(db, jobId, () => false, 180_000);
    expect(end.state, logs.join("\n")).toBe("FAILED");
    expect(end.lastError).toMatch(/rollback incomplete: .*clone-and-seed: .*cannot connect over SSH \(ECONNREFUSED\)/);
    const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id }, include: { events: true } });
    expect(row.state).toBe("FAILED");
    // define-start comes first when it had started when the worker stopped (its compensation failed too).
    expect(row.lastError).toMatch(/; rollback incomplete: (define-start: .*; )?clone-and-seed: .*ECONNREFUSED/);
    const last = row.events.sort((a, b) => Number(a.id) - Number(b.id)).at(-1)!;
    expect(last.kind, last.message).toBe("rollback-incomplete");
    expect(last.message, last.message).toMatch(
      new RegExp(
        // The domain is named too when the step after clone-and-seed had started when the worker stopped.
        `^Provisioning failed: .*\\. Rollback incomplete: (domain ${row.domainName}, )?volume ${env.lab.pool}/${row.domainName}\\.qcow2.* may remain on ` +
          `${env.host.name}; Skjold removes them once ${env.host.name} answers again\\. Could not undo: (define-start: .*; )?clone-and-seed: .*ECONNREFUSED`,
      ),
    );
    expect(row.events.map((e) => e.message).join("\n")).not.toContain("was rolled back");
    expect((await hostRow()).status).toBe("OFFLINE"); // the compensation's failure marked the host too

    await sshd.start();
    await removeLeftoverVms(db, env.lab.pool); // what the rollback left (an admin's or the reconciler's work)
    await refreshHostFacts({ prisma: db.prisma, hostId: env.host.id });
  });

  it("marks the host KEY_MISMATCH as soon as a job meets another host key; nothing runs and the next order is refused", async () => {
    await hostAnswers();
    const other = path.join(sshd.dir, `other_key_${Date.now()}`);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    const { jobId } = await order(); // placed while the host is ONLINE
    sshd.stop();
    sshd.useKey(other);
    await sshd.start(); // a reinstalled host: the next connection meets the new key
    await sharedSshPool().close();
    await runOnce(jobId);
    const host = await until(hostRow, (h) => h.status === "KEY_MISMATCH");
    expect(host.status, logs.join("\n")).toBe("KEY_MISMATCH");
    expect(host.presentedFingerprint).toBe(fingerprintOf(`${other}.pub`));
    expect(host.lastError).toContain("HOST KEY CHANGED");
    expect(host.unhealthySince).toBeInstanceOf(Date);
    const end = await waitForJob(db, jobId, () => false, 120_000);
    expect(end.state).not.toBe("SUCCEEDED");
    const sshdLog = readFileSync(sshd.log, "utf8");
    expect(sshdLog).toMatch(/Connection from 127\.0\.0\.1/);
    expect(sshdLog).not.toMatch(/Accepted publickey|session opened|Starting session/);

    const opened = readFileSync(sshd.log, "utf8").match(/Connection from/g)?.length;
    const refused = await refusal();
    expect(refused.code).toBe("NO_CAPACITY");
    expect(refused.message).toMatch(
      new RegExp(
        `^Oslo \\(osl1\\) has no healthy host right now \\(${env.host.name}: stopped since [-0-9: ]+ UTC: its SSH host key changed and an admin must check it\\)`,
      ),
    );
    expect(refused.details).toMatchObject({ cause: "no-healthy-host", hosts: [{ problem: "key-mismatch" }] });
    expect(readFileSync(sshd.log, "utf8").match(/Connection from/g)?.length).toBe(opened); // refused without contacting the host
  });
});
