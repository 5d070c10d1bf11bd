import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { jobRegistry } from "@/lib/runtime/registry";
import { placeOrder } from "@/lib/vms/order/place-order";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { findOrphans, makeTenant, onboardLabHost, removeLeftoverVms, waitForJob } from "@/tests/helpers/provision-lab";

// clone-and-seed makes the disk and the seed on the lab host at the same time. When one side fails
// for good, the other is awaited (not left running on the host while the job rolls back) and the
// rollback leaves nothing: no volume, no domain, no ledger entry, the VM FAILED with the reason.
// No guest boots here.

describe("clone-and-seed, one side failing", () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let db: Database;
  let worker: WorkerHandle;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 6 });
    env = await onboardLabHost(db.prisma);
    tenant = await makeTenant(db.prisma);
  });

  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    await removeLeftoverVms(db, env.lab.pool);
    await db?.close();
    await target?.drop();
  });

  const order = async (name: string) => {
    const input = { name, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id };
    return placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input });
  };
  const runToEnd = async (jobId: string) => {
    worker ??= startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 100, leaseMs: 10_000, log: () => undefined });
    worker.wake();
    return waitForJob(db, jobId, () => false, 180_000);
  };
  const afterRollback = async (vmId: string) => {
    const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId }, include: { events: { orderBy: { id: "asc" } } } });
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vmId } });
    return { vm, kinds: vm.events.map((e) => e.kind), ledger, orphans: await findOrphans(db, env.lab) };
  };

  it("removes the seed it built when the disk cannot be cloned", async () => {
    const copy = await db.prisma.imageCopy.findFirstOrThrow({ where: { hostId: env.host.id } });
    await db.prisma.imageCopy.update({ where: { id: copy.id }, data: { volume: "gone-base.qcow2" } });
    try {
      const { vm, jobId } = await order("half-1");
      const end = await runToEnd(jobId);
      expect(end.state).toBe("ROLLED_BACK");
      const seen = await afterRollback(vm.id);
      expect(seen.vm.state).toBe("FAILED");
      expect(seen.vm.lastError).toMatch(/^Base image gone-base\.qcow2 is not in pool skjold-nvme on this host/);
      expect(seen.kinds).not.toContain("disk");
      expect(seen.kinds).not.toContain("seed");
      expect(seen.kinds.at(-1)).toBe("failed");
      expect(seen.ledger).toEqual([]);
      expect(seen.orphans).toEqual([]);
    } finally {
      await db.prisma.imageCopy.update({ where: { id: copy.id }, data: { volume: copy.volume } });
    }
  });

  it("removes the disk it cloned when the seed cannot be built", async () => {
    const { vm, jobId } = await order("half-2");
    await db.prisma.sshKey.delete({ where: { id: tenant.sshKey.id } }); // before the worker reaches the seed
    const end = await runToEnd(jobId);
    expect(end.state).toBe("ROLLED_BACK");
    const seen = await afterRollback(vm.id);
    expect(seen.vm.lastError).toMatch(/^The SSH key chosen for half-2 was deleted; order again with another key/);
    expect(seen.kinds).not.toContain("disk");
    expect(seen.ledger).toEqual([]);
    expect(seen.orphans).toEqual([]);
  });
});
