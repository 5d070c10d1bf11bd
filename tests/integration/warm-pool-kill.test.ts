import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/core/secrets";
import { openDatabase, type Database } from "@/lib/db/connect";
import { buildPersonaliseScript } from "@/lib/guest/personalise-script";
import { runRootScript } from "@/lib/guest/shell";
import { sharedSshPool } from "@/lib/hosts/host-target";
import type { JobSnapshot } from "@/lib/jobs/watch";
import { openEntries } from "@/lib/residency/open-entries";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { placeOrder } from "@/lib/vms/order/place-order";
import { instanceIdOf } from "@/lib/vms/provision/build-seed";
import { loadVm, requirePlaced } from "@/lib/vms/shared/load-vm";
import { vmGuestShell } from "@/lib/vms/shared/vm-guest-shell";
import { refillWarmPools } from "@/lib/vms/warm/refill-warm-pools";
import { setWarmPool } from "@/lib/vms/warm/set-warm-pool";
import { makeUser } from "@/tests/helpers/factories";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { workerFleet } from "@/tests/helpers/provision-processes";
import { findOrphans, makeTenant, onboardLabHost, removeLeftoverVms, tenantTarget, waitForJob } from "@/tests/helpers/provision-lab";

// A worker SIGKILLed while it personalises a warm guest, on PostgreSQL and the lab host (one TCG
// boot). The worst moment is made on purpose: the guest already runs with its new identity while the
// database still pins the warm key (what a kill right after the guest's script and before the pin
// leaves). The worker that takes the job over finishes it (it knows the stored new key), and the
// guest is handed out once, whole: never both finished and discarded.

const step = (s: JobSnapshot, key: string) => s.steps.find((x) => x.key === key)!;

describe("personalisation survives a killed worker", () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let db: Database;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  const fleet = workerFleet({ url: () => target.url, prefix: "warm-killable" });

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 4 });
    env = await onboardLabHost(db.prisma);
    tenant = await makeTenant(db.prisma);
    const admin = await makeUser(db.prisma, { isAdmin: true });
    await setWarmPool({
      prisma: db.prisma,
      principal: admin.principal,
      input: { region: "osl1", plan: "nano", image: "debian-12", size: 1 },
    });
  });

  afterAll(async () => {
    await fleet.killAll();
    await removeLeftoverVms(db, env.lab.pool);
    await db?.close();
    await target?.drop();
  });

  it("finishes a personalisation interrupted after the guest switched keys, and hands the guest out once", async () => {
    const first = await fleet.spawn();
    const { started } = await refillWarmPools({ prisma: db.prisma });
    expect(started).toHaveLength(1);
    const warmJob = await db.prisma.job.findFirstOrThrow({ where: { kind: "vm.warm" } });
    expect((await waitForJob(db, warmJob.id, () => false)).state).toBe("SUCCEEDED");
    await fleet.kill(first);
    const warmKey = (await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: started[0]!.vmId } })).guestHostKeyFingerprint;

    // The order takes the guest; no worker runs yet. Then the state a kill between the guest's
    // script and the pin leaves: the new key stored, the guest switched, the warm key still pinned.
    const input = { name: "kill-warm", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id };
    const { vm, jobId } = await placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input });
    expect(vm.id).toBe(started[0]!.vmId);
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
    await runRootScript({ shell: vmGuestShell({ vm: claimed, step: "half a personalisation" }), privilege: "sudo", script, what: "test" });

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
    const login = await sharedSshPool().exec({ target: tenantTarget(env.lab, row, tenant.privateKey), argv: ["hostname"], step: "tenant" });
    expect(login.stdout.trim()).toBe("kill-warm");
    // Handed out once: one VM on that domain, one open disk and one open seed entry, nothing discarded.
    expect(await db.prisma.virtualMachine.count({ where: { domainName: row.domainName } })).toBe(1);
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vm.id }, orderBy: { seq: "asc" } });
    expect(
      openEntries(ledger)
        .map((e) => e.resourceKind)
        .sort(),
    ).toEqual(["VM_DISK", "VM_SEED"]);
    expect(await db.prisma.vmEvent.count({ where: { vmId: vm.id, kind: { in: ["failed", "warm-discarded"] } } })).toBe(0);
    expect(await findOrphans(db, env.lab)).toEqual([]);
  }, 900_000);
});
