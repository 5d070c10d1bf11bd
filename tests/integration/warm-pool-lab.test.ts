import { execFileSync } from "node:child_process";
import { encryptSecret } from "@/lib/core/secrets";
import { buildPersonaliseScript } from "@/lib/guest/personalise-script";
import { runRootScript } from "@/lib/guest/shell";
import type { JobSnapshot } from "@/lib/jobs/watch";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { createSshPool } from "@/lib/ssh/pool";
import { getDomainState } from "@/lib/libvirt/domains";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { openEntries } from "@/lib/residency/open-entries";
import { jobRegistry } from "@/lib/runtime/registry";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { placeOrder } from "@/lib/vms/order/place-order";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { instanceIdOf } from "@/lib/vms/provision/build-seed";
import { loadVm, requirePlaced } from "@/lib/vms/shared/load-vm";
import { vmGuestShell } from "@/lib/vms/shared/vm-guest-shell";
import { listWarmPools } from "@/lib/vms/warm/list-warm-pools";
import { refillWarmPools } from "@/lib/vms/warm/refill-warm-pools";
import { setWarmPool } from "@/lib/vms/warm/set-warm-pool";
import { makeUser } from "@/tests/helpers/factories";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { workerFleet } from "@/tests/helpers/provision-processes";
import { rootVirsh } from "@/tests/helpers/lab";
import { findOrphans, makeTenant, onboardLabHost, removeLeftoverVms, tenantTarget, waitForJob } from "@/tests/helpers/provision-lab";

// The warm pool on the lab host with a pool of 1, PostgreSQL and a real worker. Boots are the cost
// (about a minute each under TCG): three warm guests in the whole file, each used by the tests after
// it. An order is served warm and the tenant logs in with their own key, the host key pinned to what
// Skjold stored; the warm boot's key is refused; two warm-served VMs differ in every identity; the
// pool refills; concurrent orders never share a guest; a warm guest that died is replaced, and its
// replacement is personalised by worker processes, one SIGKILLed in the middle (this was
// warm-pool-kill.test.ts, with a boot of its own).

const POOL = { region: "osl1", plan: "nano", image: "debian-12" };
const step = (s: JobSnapshot, key: string) => s.steps.find((x) => x.key === key)!;

describe("the warm pool on the lab host", () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let db: Database;
  let worker: WorkerHandle;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  const logs: string[] = [];
  const identities: { hostKey: string; machineId: string; seed: string; instanceId: string; vmId: string }[] = [];
  let firstWarmKey = "";

  const start = () => startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 100, leaseMs: 10_000, log: (l) => logs.push(l) });
  const order = (name: string) =>
    placeOrder({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      input: { name, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id },
    });
  const detailOf = (vmId: string) => getVmDetail({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId });
  /** Starts the refill and waits until the warm guest it booted is ready. */
  const warmUp = async () => {
    const report = await refillWarmPools({ prisma: db.prisma });
    expect(report.started, JSON.stringify(report)).toHaveLength(1);
    worker.wake();
    const job = await db.prisma.job.findFirstOrThrow({ where: { kind: "vm.warm", vmId: report.started[0]!.vmId } });
    const end = await waitForJob(db, job.id, () => false);
    expect(end.state, `${end.lastError}\n${logs.slice(-20).join("\n")}`).toBe("SUCCEEDED");
    return db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: report.started[0]!.vmId } });
  };
  const asTenant = async (vmId: string, argv: string[]) => {
    const detail = await detailOf(vmId);
    return (await sharedSshPool().exec({ target: tenantTarget(env.lab, detail, tenant.privateKey), argv, step: "tenant" })).stdout.trim();
  };
  const identityOf = async (vmId: string) => ({
    vmId,
    hostKey: (await detailOf(vmId)).guestHostKey!,
    machineId: await asTenant(vmId, ["cat", "/etc/machine-id"]),
    seed: await asTenant(vmId, ["sudo", "-n", "sha256sum", "/var/lib/systemd/random-seed"]),
    instanceId: await asTenant(vmId, ["cat", "/var/lib/cloud/data/instance-id"]),
  });

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 8 });
    env = await onboardLabHost(db.prisma);
    admin = await makeUser(db.prisma, { isAdmin: true });
    tenant = await makeTenant(db.prisma, { maxVms: 10 });
    worker = start();
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 1 } });
  });

  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    await removeLeftoverVms(db, env.lab.pool);
    await db?.close();
    await target?.drop();
  });

  it("boots a warm guest with the management key only, on no team and no residency ledger", async () => {
    const guest = await warmUp();
    expect(guest).toMatchObject({ state: "RUNNING", teamId: null, sshKeyId: null, hostId: env.host.id });
    // Hardened before it is ready in the pool, with the management key as the admin user's only key.
    const warmJob = await db.prisma.job.findFirstOrThrow({ where: { kind: "vm.warm", vmId: guest.id } });
    expect(warmJob.version).toBe(2);
    expect(await db.prisma.vmEvent.count({ where: { vmId: guest.id, kind: "hardened" } })).toBe(1);
    firstWarmKey = guest.guestHostKeyFingerprint!;
    expect(await db.prisma.dataLocation.count({ where: { resourceId: guest.id } })).toBe(0);
    expect(await getDomainState({ pool: sharedSshPool(), target: env.lab.target, name: guest.domainName })).toBe("running");
    expect(await listWarmPools({ prisma: db.prisma, principal: admin.principal })).toEqual([
      expect.objectContaining({ size: 1, ready: 1, warming: 0, failed: 0 }),
    ]);
  }, 900_000);

  it("serves an order from it: the tenant's key logs in with the host key Skjold pinned, the warm key is refused", async () => {
    const { vm, jobId } = await order("web-1");
    expect(vm.warmClaimedAt).not.toBeNull();
    worker.wake();
    const end = await waitForJob(db, jobId, () => false);
    expect(end.state, `${end.lastError}\n${logs.slice(-20).join("\n")}`).toBe("SUCCEEDED");
    // Hardened when it warmed: the order only personalises, then the report is made and must pass.
    expect(end.steps.map((s) => s.key)).toEqual(["reserve", "personalise", "verify", "ready"]);

    const detail = await detailOf(vm.id);
    expect(detail).toMatchObject({ state: "RUNNING", name: "web-1", servedWarm: true });
    expect(detail.sshReadySeconds).toBeGreaterThan(0);
    expect(detail.guestHostKeyFingerprint).not.toBe(firstWarmKey);
    expect(await asTenant(vm.id, ["hostname"])).toBe("web-1");
    // Only Skjold's new host key is left on the guest.
    expect(await asTenant(vm.id, ["sh", "-c", "ls /etc/ssh/ssh_host_*"])).toBe(
      "/etc/ssh/ssh_host_ed25519_key\n/etc/ssh/ssh_host_ed25519_key.pub",
    );

    // OpenSSH, strict host key checking on the key the page shows; then the warm boot's key is refused.
    const dir = mkdtempSync(path.join(tmpdir(), "skjold-warm-"));
    try {
      writeFileSync(path.join(dir, "id"), tenant.privateKey, { mode: 0o600 });
      writeFileSync(path.join(dir, "known_hosts"), `[127.0.0.1]:${detail.sshPort} ${detail.guestHostKey}\n`);
      const [, ...args] = detail.sshCommand!.split(" ");
      const ssh = ["-i", path.join(dir, "id"), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"];
      const out = execFileSync("ssh", [...ssh, "-o", `UserKnownHostsFile=${dir}/known_hosts`, ...args, "id", "-un"], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(out.trim()).toBe("skjold");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A new connection (a pool of its own) pinned to the warm boot's key: the guest no longer has it.
    const withWarmKey = { ...tenantTarget(env.lab, detail, tenant.privateKey), hostKeyFingerprint: firstWarmKey };
    const fresh = createSshPool();
    await expect(fresh.exec({ target: withWarmKey, argv: ["true"], step: "old key" })).rejects.toMatchObject({
      code: "HOST_KEY_MISMATCH",
    });
    await fresh.close();

    const failing = (detail.hardeningReport!.controls as { id: string; status: string }[]).filter((c) => c.status === "fail");
    expect(failing.map((c) => c.id)).toEqual([]);
    expect(detail.hardeningReport!.passed).toBeGreaterThan(30);
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vm.id }, orderBy: { seq: "asc" } });
    expect(
      openEntries(ledger)
        .map((e) => `${e.resourceKind}@${e.hostName}`)
        .sort(),
    ).toEqual([`VM_DISK@${env.host.name}`, `VM_SEED@${env.host.name}`]);
    expect(ledger.every((e) => e.teamId === tenant.team.id)).toBe(true);
    identities.push(await identityOf(vm.id));
  }, 900_000);

  it("refills; concurrent orders never share the warm guest; the second warm-served VM has its own identity", async () => {
    await warmUp();
    // The worker is stopped so the orders that go cold are deleted before they boot.
    await worker.stop({ graceMs: 1_000 });
    let results: Awaited<ReturnType<typeof order>>[] = [];
    try {
      results = await Promise.all(["web-2", "web-3", "web-4"].map((n) => order(n)));
      for (const r of results.filter((x) => x.vm.warmClaimedAt === null))
        await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: r.vm.id });
    } finally {
      worker = start();
    }
    const warm = results.filter((r) => r.vm.warmClaimedAt !== null);
    expect(warm).toHaveLength(1);
    const end = await waitForJob(db, warm[0]!.jobId, () => false);
    expect(end.state, `${end.lastError}\n${logs.slice(-20).join("\n")}`).toBe("SUCCEEDED");
    identities.push(await identityOf(warm[0]!.vm.id));
    const [a, b] = identities;
    expect(b!.hostKey).not.toBe(a!.hostKey);
    expect(b!.machineId).not.toBe(a!.machineId);
    expect(b!.seed).not.toBe(a!.seed);
    expect(b!.instanceId).not.toBe(a!.instanceId);
    expect(await listWarmPools({ prisma: db.prisma, principal: admin.principal })).toEqual([
      expect.objectContaining({ size: 1, ready: 0, served: 2, medianServedSeconds: expect.any(Number) }),
    ]);
  }, 900_000);

  it("replaces a warm guest that died", async () => {
    // A ready warm guest whose domain does not run. Not booted and destroyed (that would cost a boot):
    // its row is made ready by hand while no worker runs, with no domain on the host at all, which is
    // what the refill's `virsh list` sees of a destroyed one.
    await worker.stop({ graceMs: 1_000 });
    try {
      const made = await refillWarmPools({ prisma: db.prisma });
      expect(made.started).toHaveLength(1);
      const vmId = made.started[0]!.vmId;
      await db.prisma.job.updateMany({ where: { kind: "vm.warm", vmId }, data: { state: "CANCELLED", finishedAt: new Date() } });
      await db.prisma.virtualMachine.update({ where: { id: vmId }, data: { state: "RUNNING", readyAt: new Date() } });
    } finally {
      worker = start();
    }
    const guest = await db.prisma.virtualMachine.findFirstOrThrow({ where: { teamId: null, warmPoolId: { not: null }, state: "RUNNING" } });
    expect(rootVirsh("list", "--all", "--name")).not.toContain(guest.domainName);
    const report = await refillWarmPools({ prisma: db.prisma });
    expect(report.discarded).toEqual([{ vmId: guest.id, reason: expect.stringContaining("no longer runs") }]);
    expect(report.started).toHaveLength(1);
    worker.wake();
    const removal = await db.prisma.job.findFirstOrThrow({ where: { kind: "vm.delete", vmId: guest.id } });
    expect((await waitForJob(db, removal.id, () => false)).state).toBe("SUCCEEDED");
    expect(await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: guest.id } })).toMatchObject({ state: "DELETED" });
    // The replacement boots and is ready: the next test personalises it with worker processes.
    const replacement = await db.prisma.job.findFirstOrThrow({ where: { kind: "vm.warm", vmId: report.started[0]!.vmId } });
    const end = await waitForJob(db, replacement.id, () => false);
    expect(end.state, `${end.lastError}\n${logs.slice(-20).join("\n")}`).toBe("SUCCEEDED");
    await setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size: 0 } });
  }, 900_000);

  // A worker SIGKILLed while it personalises (worker processes; the replacement above is the guest, no
  // boot of its own). The worst moment is made on purpose: the guest already runs with its new
  // identity while the database still pins the warm key (what a kill right after the guest's script
  // and before the pin leaves). The worker that takes the job over finishes it (it knows the stored
  // new key), and the guest is handed out once, whole: never both finished and discarded.
  it("finishes a personalisation interrupted after the guest switched keys, and hands the guest out once", async () => {
    await worker.stop({ graceMs: 1_000 });
    const fleet = workerFleet({ url: () => target.url, prefix: "warm-killable" });
    try {
      const ready = await db.prisma.virtualMachine.findFirstOrThrow({
        where: { teamId: null, warmPoolId: { not: null }, state: "RUNNING" },
      });
      const warmKey = ready.guestHostKeyFingerprint;
      // The order takes the guest; no worker runs yet. Then the state a kill between the guest's
      // script and the pin leaves: the new key stored, the guest switched, the warm key still pinned.
      const { vm, jobId } = await order("kill-warm");
      expect(vm.id).toBe(ready.id);
      const newKey = generateKeyPair({ comment: "root@kill-warm" });
      await db.prisma.virtualMachine.update({ where: { id: vm.id }, data: { pendingHostKeyEnc: encryptSecret(JSON.stringify(newKey)) } });
      const claimed = requirePlaced(await loadVm(db.prisma, vm.id));
      const script = buildPersonaliseScript({
        hostname: "kill-warm",
        adminUser: claimed.adminUser,
        authorizedKeys: [tenant.sshKey.publicKey, claimed.mgmtPublicKey!],
        instanceId: instanceIdOf(claimed),
        hostKey: newKey,
        machineId: "0123456789abcdef0123456789abcdef",
        entropy: Buffer.alloc(64, 1).toString("base64"),
        randomSeed: Buffer.alloc(64, 2).toString("base64"),
      });
      await runRootScript({
        shell: vmGuestShell({ vm: claimed, step: "half a personalisation" }),
        privilege: "sudo",
        script,
        what: "test",
      });

      // A worker starts the job and is SIGKILLed while it personalises; the next one finishes.
      const second = await fleet.spawn();
      await waitForJob(db, jobId, (s) => step(s, "personalise").state === "RUNNING" || step(s, "personalise").state === "SUCCEEDED");
      await fleet.kill(second);
      await fleet.spawn();
      const end = await waitForJob(db, jobId, () => false);
      expect(end.state, end.lastError ?? "").toBe("SUCCEEDED");
      expect(end.attempts).toBeGreaterThanOrEqual(2);

      const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
      expect(row).toMatchObject({ state: "RUNNING", guestHostKeyFingerprint: newKey.fingerprint, pendingHostKeyEnc: null });
      expect(row.guestHostKeyFingerprint).not.toBe(warmKey);
      expect(await asTenant(vm.id, ["hostname"])).toBe("kill-warm");
      // Handed out once: one VM on that domain, one open disk and one open seed entry, nothing discarded.
      expect(await db.prisma.virtualMachine.count({ where: { domainName: row.domainName } })).toBe(1);
      const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vm.id }, orderBy: { seq: "asc" } });
      expect(
        openEntries(ledger)
          .map((e) => e.resourceKind)
          .sort(),
      ).toEqual(["VM_DISK", "VM_SEED"]);
      expect(await db.prisma.vmEvent.count({ where: { vmId: vm.id, kind: { in: ["failed", "warm-discarded"] } } })).toBe(0);
      identities.push({ vmId: vm.id, hostKey: row.guestHostKey!, machineId: "", seed: "", instanceId: "" });
    } finally {
      await fleet.killAll();
      worker = start();
    }
  }, 900_000);

  it("deletes warm-served VMs like any other, and leaves nothing behind", async () => {
    for (const { vmId } of identities) {
      const { jobId } = await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId });
      worker.wake();
      expect((await waitForJob(db, jobId, () => false)).state).toBe("SUCCEEDED");
      const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vmId }, orderBy: { seq: "asc" } });
      expect(openEntries(ledger)).toEqual([]);
    }
    // Wait for the deletions of the orders that went cold, then compare host and database.
    for (const job of await db.prisma.job.findMany({ where: { kind: "vm.delete" } })) await waitForJob(db, job.id, () => false);
    expect(await findOrphans(db, env.lab)).toEqual([]);
  }, 600_000);
});
