import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { cancelJob } from "@/lib/jobs/cancel";
import type { JobSnapshot } from "@/lib/jobs/watch";
import { placeOrder } from "@/lib/vms/order/place-order";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { openEntries } from "@/lib/residency/open-entries";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { workerFleet } from "@/tests/helpers/provision-processes";
import { findOrphans, makeTenant, onboardLabHost, removeLeftoverVms, tenantTarget, waitForJob } from "@/tests/helpers/provision-lab";

// Worker processes SIGKILLed in the middle of provisioning, on PostgreSQL and the real lab host:
// after the disk clone, and while the booting guest is awaited; then during a rollback. Another
// worker takes the job over once the dead one's lease expires; the job completes or rolls back,
// and nothing is left on the host that the database does not account for.

const step = (s: JobSnapshot, key: string) => s.steps.find((x) => x.key === key)!;

describe("provisioning survives killed workers", () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let db: Database;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  const fleet = workerFleet({ url: () => target.url, prefix: "killable" });
  const workers = fleet.workers;
  const spawnWorker = () => fleet.spawn();
  const kill = fleet.kill;
  const order = (name: string) =>
    placeOrder({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      input: { name, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id },
    });

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 4 });
    env = await onboardLabHost(db.prisma);
    tenant = await makeTenant(db.prisma);
  });

  afterAll(async () => {
    await fleet.killAll();
    await removeLeftoverVms(db, env.lab.pool);
    await db?.close();
    await target?.drop();
  });

  it("completes after SIGKILL right after the clone and again while waiting for SSH", async () => {
    const { vm, jobId } = await order("kill-1");
    const first = await spawnWorker();
    await waitForJob(db, jobId, (s) => step(s, "clone-and-seed").state === "SUCCEEDED");
    await kill(first);

    const second = await spawnWorker();
    await waitForJob(db, jobId, (s) => step(s, "wait-ssh").state === "RUNNING");
    await new Promise((r) => setTimeout(r, 5_000)); // the guest is booting now
    await kill(second);

    await spawnWorker();
    const end = await waitForJob(db, jobId, () => false);
    expect(end.state, end.lastError ?? "").toBe("SUCCEEDED");
    expect(end.attempts).toBeGreaterThanOrEqual(3);
    expect(step(end, "clone-and-seed").attempts).toBe(1);
    expect(step(end, "wait-ssh").attempts).toBe(2); // killed once, run again by the third worker
    const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row.state).toBe("RUNNING");
    const hostname = await sharedSshPool().exec({
      target: tenantTarget(env.lab, row, tenant.privateKey),
      argv: ["hostname"],
      step: "tenant login",
    });
    expect(hostname.stdout.trim()).toBe("kill-1");
    expect(await findOrphans(db, env.lab)).toEqual([]);
  }, 900_000);

  it("rolls back cleanly when cancelled mid-boot, even with the worker killed during the rollback", async () => {
    const { vm, jobId } = await order("kill-2");
    const worker = workers.at(-1)!;
    await waitForJob(db, jobId, (s) => step(s, "wait-ssh").state === "RUNNING");
    await cancelJob({ prisma: db.prisma, jobId, reason: "Cancelled by the test" });
    await waitForJob(db, jobId, (s) => s.steps.some((x) => x.state === "COMPENSATED"), 120_000);
    await kill(worker);

    await spawnWorker();
    const end = await waitForJob(db, jobId, () => false);
    expect(end.state, end.lastError ?? "").toBe("CANCELLED");
    expect(end.steps.filter((s) => s.state === "SUCCEEDED").map((s) => s.key)).toEqual([]);
    const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row).toMatchObject({ state: "FAILED", sshPort: null, lastError: "Cancelled" });
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vm.id }, orderBy: { seq: "asc" } });
    expect(ledger.length).toBe(4);
    expect(openEntries(ledger)).toEqual([]);
    expect(await findOrphans(db, env.lab)).toEqual([]);
  }, 600_000);

  it("deletes the surviving VM and leaves the host as it found it", async () => {
    const vm = await db.prisma.virtualMachine.findFirstOrThrow({ where: { name: "kill-1" } });
    const { jobId } = await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: vm.id });
    expect((await waitForJob(db, jobId, () => false)).state).toBe("SUCCEEDED");
    expect(await findOrphans(db, env.lab)).toEqual([]);
    expect(await db.prisma.virtualMachine.count({ where: { state: { notIn: ["DELETED", "FAILED"] } } })).toBe(0);
  }, 300_000);
});
