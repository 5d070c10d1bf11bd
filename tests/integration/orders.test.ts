import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { placeOrder } from "@/lib/vms/order/place-order";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { listVms } from "@/lib/vms/queries/list-vms";
import { orderOptions } from "@/lib/vms/order/order-options";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { reserveStep } from "@/lib/vms/provision/reserve";
import { resizeVm } from "@/lib/vms/resize/resize-vm";
import { vmPowerAction } from "@/lib/vms/power/vm-power-action";
import { jobRegistry } from "@/lib/runtime/registry";
import { startWorker } from "@/lib/jobs/worker";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeUser, makeVms } from "@/tests/helpers/factories";
import { makeTenant, onboardLabHost } from "@/tests/helpers/provision-lab";

// Ordering without booting anything: validation, quota, residency policy, capacity and the races
// between orders. The jobs stay queued (no worker runs here).

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(DB_KINDS)("ordering a VM (%s)", (kind) => {
  let db: Database;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  const order = (over: Record<string, unknown> = {}) => ({
    name: "web-1",
    regionCode: "osl1",
    planCode: "nano",
    imageSlug: "debian-12",
    sshKeyId: tenant.sshKey.id,
    ...over,
  });
  const nothingCreated = async () => {
    expect(await db.prisma.virtualMachine.count({ where: { teamId: tenant.team.id } })).toBe(0);
    expect(await db.prisma.job.count({ where: { teamId: tenant.team.id } })).toBe(0);
    expect(await db.prisma.auditEvent.count({ where: { teamId: tenant.team.id, action: "vm.order" } })).toBe(0);
  };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    env = await onboardLabHost(db.prisma, { cpuCount: 4, memoryMb: 8192, vcpuOvercommit: 1 });
    tenant = await makeTenant(db.prisma, { maxVms: 3 });
  });
  afterAll(async () => db?.close());

  it.each([
    ["name", "Web_1"],
    ["name", "web;reboot"],
    ["name", "$(id)"],
    ["name", "a".repeat(64)],
    ["name", "web\u202e1"],
    ["name", ""],
    ["name", null],
    ["regionCode", "osl1' OR '1'='1"],
    ["regionCode", "zz9"],
    ["planCode", "../nano"],
    ["planCode", "giant"],
    ["imageSlug", "debian-12;ls"],
    ["imageSlug", "windows-11"],
    ["sshKeyId", "1"],
    ["sshKeyId", "00000000-0000-4000-8000-000000000000"],
    ["hostId", "00000000-0000-4000-8000-000000000000"],
  ])("refuses hostile %s = %j with a clear VALIDATION error and creates nothing", async (field, value) => {
    const err = await refusal(
      placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input: order({ [field]: value }) }),
    );
    expect(err.code).toBe("VALIDATION");
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/^Order: /);
    await nothingCreated();
  });

  it("refuses a body that is not an object, another user's key, a viewer, and an outsider", async () => {
    for (const input of [null, "web-1", [order()], 42]) {
      expect((await refusal(placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input }))).code).toBe(
        "VALIDATION",
      );
    }
    const other = await makeTenant(db.prisma);
    const stolen = await refusal(
      placeOrder({
        prisma: db.prisma,
        principal: tenant.principal,
        teamSlug: tenant.team.slug,
        input: order({ sshKeyId: other.sshKey.id }),
      }),
    );
    expect(stolen.message).toBe("Order: sshKeyId: no such SSH key on your profile");
    const { user: viewer, principal } = await makeUser(db.prisma);
    await db.prisma.membership.create({ data: { userId: viewer.id, teamId: tenant.team.id, role: "VIEWER" } });
    expect((await refusal(placeOrder({ prisma: db.prisma, principal, teamSlug: tenant.team.slug, input: order() }))).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await refusal(placeOrder({ prisma: db.prisma, principal: other.principal, teamSlug: tenant.team.slug, input: order() }))).code,
    ).toBe("NOT_FOUND");
    await nothingCreated();
  });

  it("refuses a region outside the team's residency policy", async () => {
    await db.prisma.team.update({ where: { id: tenant.team.id }, data: { residencyPolicy: "EU" } });
    const err = await refusal(placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input: order() }));
    expect(err.code).toBe("POLICY_VIOLATION");
    expect(err.message).toMatch(/^Region Oslo \(osl1, NO, NO_EEA\) is outside this team's residency policy "EU only/);
    await db.prisma.team.update({ where: { id: tenant.team.id }, data: { residencyPolicy: "NORWAY_ONLY" } });
    const options = await orderOptions({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug });
    expect(
      options.regions
        .filter((r) => r.allowedByPolicy)
        .map((r) => r.code)
        .sort(),
    ).toEqual(["bgo1", "osl1"]);
    expect(options.regions.filter((r) => r.hasCapacity).map((r) => r.code)).toEqual(["osl1"]);
    await nothingCreated();
  });

  it("orders within quota and capacity, then refuses with the quota or capacity message", async () => {
    const made = await placeOrder({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      input: order({ planCode: "medium" }),
    });
    expect(made.vm).toMatchObject({ state: "PENDING", hostId: env.host.id, poolId: env.pool.id, vcpus: 2, memoryMb: 4096 });
    expect(made.vm.placementNote).toMatch(/least loaded host that fits/);
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: made.jobId } });
    expect(job).toMatchObject({ kind: "vm.provision", state: "QUEUED", vmId: made.vm.id, payload: { vmId: made.vm.id } });
    const dup = await refusal(placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input: order() }));
    expect(dup.code).toBe("CONFLICT");
    await placeOrder({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      input: order({ name: "web-2", planCode: "small" }),
    });
    const full = await refusal(
      placeOrder({
        prisma: db.prisma,
        principal: tenant.principal,
        teamSlug: tenant.team.slug,
        input: order({ name: "web-3", planCode: "medium" }),
      }),
    );
    expect(full.code).toBe("NO_CAPACITY"); // 3 of 4 vCPUs used on the only host in osl1
    expect(full.message).toMatch(
      /^Oslo \(osl1\) has no room for a Medium VM with Debian 12 \(bookworm\) right now\. No host in osl1 can take this VM \(lab-\w+: vCPUs full \(3 of 4 in use, 2 needed\)\)\.$/,
    );
    await placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input: order({ name: "web-3" }) });
    const quota = await refusal(
      placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input: order({ name: "web-4" }) }),
    );
    expect(quota).toMatchObject({ code: "QUOTA_EXCEEDED", message: "Your team's quota allows 3 VMs; 3 are in use." });
    expect(
      (await listVms({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, page: { limit: 50 } })).items.map(
        (v) => v.name,
      ),
    ).toEqual(["web-3", "web-2", "web-1"]);
  });

  it("answers 404 for another team's VM and refuses power actions before the VM is ready", async () => {
    const [vm] = (await listVms({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, page: { limit: 50 } })).items;
    const other = await makeTenant(db.prisma);
    expect(
      (await refusal(getVmDetail({ prisma: db.prisma, principal: other.principal, teamSlug: other.team.slug, vmId: vm!.id }))).code,
    ).toBe("NOT_FOUND");
    expect((await refusal(deleteVm({ prisma: db.prisma, principal: other.principal, teamSlug: other.team.slug, vmId: vm!.id }))).code).toBe(
      "NOT_FOUND",
    );
    const early = await refusal(
      vmPowerAction({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: vm!.id, action: "start" }),
    );
    expect(early).toMatchObject({ code: "CONFLICT", message: "web-3 is pending; power actions work on a running or stopped VM." });
    const detail = await getVmDetail({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: vm!.id });
    expect(detail.jobs[0]).toMatchObject({ kind: "vm.provision", state: "QUEUED", done: false });
    expect(detail).not.toHaveProperty("mgmtKeyEnc");
  });

  it("deleting a VM whose provisioning has not started cancels that job and queues one delete", async () => {
    const [vm] = (await listVms({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, page: { limit: 50 } })).items;
    const first = await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: vm!.id });
    const again = await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: vm!.id });
    expect(again.jobId).toBe(first.jobId);
    const jobs = await db.prisma.job.findMany({ where: { vmId: vm!.id }, orderBy: { createdAt: "asc" } });
    expect(jobs.map((j) => `${j.kind}:${j.state}`)).toEqual(["vm.provision:CANCELLED", "vm.delete:QUEUED"]);
  });

  it("refuses a plan change beyond the team's quota, for a VM not running or busy, and for a viewer", async () => {
    const region = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const owner = await makeTenant(db.prisma, { maxVms: 5, maxVcpus: 3, maxMemoryMb: 8192, maxDiskGb: 100 });
    await db.prisma.host.update({ where: { id: env.host.id }, data: { cpuCount: 32, memoryMb: 65_536 } }); // room: the quota decides
    const [vm] = await makeVms(db.prisma, { teamId: owner.team.id, regionId: region.id, hostId: env.host.id, count: 1, prefix: "big" });
    await db.prisma.virtualMachine.update({ where: { id: vm!.id }, data: { state: "RUNNING", poolId: env.pool.id } });
    await makeVms(db.prisma, { teamId: owner.team.id, regionId: region.id, count: 1, prefix: "other" }); // 1 vCPU, 512 MiB, 10 GB
    const ctx = { prisma: db.prisma, principal: owner.principal, teamSlug: owner.team.slug, vmId: vm!.id };
    // medium: 2 vCPUs; with the other VM's 1 that is the quota's 3, so it fits; large (4) does not.
    const quota = await refusal(resizeVm({ ...ctx, input: { planCode: "large" } }));
    expect(quota).toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: "Your team's quota allows 3 vCPUs; 1 is in use and this plan needs 4.",
    });
    expect((await refusal(resizeVm({ ...ctx, input: { planCode: "nope" } }))).message).toBe(
      "Plan nope does not exist or is no longer offered.",
    );
    expect((await refusal(resizeVm({ ...ctx, input: { planCode: "Medium; reboot" } }))).code).toBe("VALIDATION");
    const viewer = await makeUser(db.prisma);
    await db.prisma.membership.create({ data: { teamId: owner.team.id, userId: viewer.user.id, role: "VIEWER" } });
    expect((await refusal(resizeVm({ ...ctx, principal: viewer.principal, input: { planCode: "medium" } }))).code).toBe("FORBIDDEN");
    const { jobId } = await resizeVm({ ...ctx, input: { planCode: "medium" } });
    expect(await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm!.id } })).toMatchObject({
      vcpus: 2,
      memoryMb: 4096,
      diskGb: 50,
    });
    // Its job is queued (no worker here): another change waits for it.
    expect((await refusal(resizeVm({ ...ctx, input: { planCode: "small" } }))).message).toBe(
      "big is busy (vm.resize); try again when it has finished.",
    );
    await db.prisma.job.update({ where: { id: jobId }, data: { state: "SUCCEEDED", finishedAt: new Date() } });
    await db.prisma.virtualMachine.update({ where: { id: vm!.id }, data: { state: "PROVISIONING" } });
    expect((await refusal(resizeVm({ ...ctx, input: { planCode: "large" } }))).message).toBe(
      "big is provisioning; a running or stopped VM can change its plan.",
    );
    expect(await db.prisma.auditEvent.count({ where: { action: "vm.resize", targetId: vm!.id } })).toBe(1);
  });

  it("a rollback whose job recorded no error names the step that failed, or says its workers stopped", async () => {
    const region = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const rollBackWith = async (steps: { key: string; state: "FAILED" | "COMPENSATED"; error?: string }[]) => {
      const [vm] = await makeVms(db.prisma, { teamId: tenant.team.id, regionId: region.id, count: 1, prefix: "cause" });
      await db.prisma.virtualMachine.update({ where: { id: vm!.id }, data: { state: "PROVISIONING" } });
      const job = await db.prisma.job.create({
        data: { kind: "vm.provision", payload: { vmId: vm!.id }, state: "RUNNING", vmId: vm!.id, teamId: tenant.team.id },
      });
      await db.prisma.jobStep.createMany({ data: steps.map((s, seq) => ({ jobId: job.id, seq, ...s })) });
      await reserveStep.compensate!({
        prisma: db.prisma,
        payload: { vmId: vm!.id },
        outputs: {},
        output: null,
        job: { id: job.id, kind: job.kind, attempt: 6, maxAttempts: 6 },
        signal: new AbortController().signal,
        log: () => {},
      });
      const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm!.id } });
      await db.prisma.virtualMachine.delete({ where: { id: vm!.id } });
      return row;
    };
    const byStep = await rollBackWith([
      { key: "reserve", state: "COMPENSATED" },
      { key: "wait-ssh", state: "FAILED", error: "no answer on port 22 after 600 s" },
    ]);
    expect(byStep).toMatchObject({ state: "FAILED", lastError: "wait-ssh: no answer on port 22 after 600 s" });
    const byNothing = await rollBackWith([{ key: "reserve", state: "COMPENSATED" }]);
    expect(byNothing.lastError).toBe("its workers stopped before any step reported an error");
    expect(byNothing.lastError).not.toMatch(/Provisioning failed/);
  });
});

describe("200 orders at once on postgres", () => {
  let db: Database;
  afterAll(async () => db?.close());

  it("accounts for every order and never exceeds a quota or the region's capacity", async () => {
    db = await freshDatabase("postgres");
    await onboardLabHost(db.prisma, { cpuCount: 60, memoryMb: 1_000_000, vcpuOvercommit: 1 });
    const a = await makeTenant(db.prisma, { maxVms: 10 });
    const b = await makeTenant(db.prisma, { maxVms: 200, maxVcpus: 200 });
    const orders = Array.from({ length: 200 }, (_, i) => {
      const t = i % 2 === 0 ? a : b;
      const input = { name: `vm-${i}`, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: t.sshKey.id };
      return placeOrder({ prisma: db.prisma, principal: t.principal, teamSlug: t.team.slug, input }).then(
        (r) => ({ ok: true as const, team: t.team.id, vmId: r.vm.id }),
        (e: AppError) => ({ ok: false as const, team: t.team.id, code: e.code }),
      );
    });
    const results = await Promise.all(orders);
    const created = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(created.length + refused.length).toBe(200);
    // Demand (10 for team a, 100 for team b) exceeds the host's 60 vCPUs (nano = 1 vCPU): capacity binds.
    expect(created).toHaveLength(60);
    expect(refused.every((r) => r.code === "NO_CAPACITY" || (r.code === "QUOTA_EXCEEDED" && r.team === a.team.id))).toBe(true);
    const vms = await db.prisma.virtualMachine.findMany({ select: { id: true, teamId: true, vcpus: true } });
    expect(vms.map((v) => v.id).sort()).toEqual(created.map((c) => c.vmId).sort());
    expect(vms.filter((v) => v.teamId === a.team.id).length).toBeLessThanOrEqual(10);
    expect(vms.reduce((s, v) => s + v.vcpus, 0)).toBeLessThanOrEqual(60);
    expect(await db.prisma.job.count({ where: { kind: "vm.provision", state: "QUEUED" } })).toBe(60);
    expect(await db.prisma.auditEvent.count({ where: { action: "vm.order" } })).toBe(60);
  }, 120_000);

  it("two workers racing through the 60 deletions run each job once", async () => {
    const vms = await db.prisma.virtualMachine.findMany({ include: { team: true } });
    const tenants = new Map<string, Awaited<ReturnType<typeof makeTenant>>["principal"]>();
    for (const m of await db.prisma.membership.findMany({ include: { user: true } })) {
      tenants.set(m.teamId, {
        kind: "user",
        userId: m.userId,
        email: m.user.email,
        name: m.user.name,
        isAdmin: false,
        locale: "en",
        sessionId: "00000000-0000-0000-0000-000000000000",
      });
    }
    for (const vm of vms) await deleteVm({ prisma: db.prisma, principal: tenants.get(vm.teamId!)!, teamSlug: vm.team!.slug, vmId: vm.id });
    // Each delete really asks the lab host (over SSH) for the domain and volumes it then finds absent.
    const workers = [1, 2].map((i) =>
      startWorker({ prisma: db.prisma, registry: jobRegistry, workerId: `racer-${i}`, concurrency: 4, pollMs: 20, log: () => undefined }),
    );
    while ((await db.prisma.job.count({ where: { kind: "vm.delete", finishedAt: null } })) > 0)
      await new Promise((r) => setTimeout(r, 100));
    await Promise.all(workers.map((w) => w.stop({ graceMs: 1_000 })));
    const jobs = await db.prisma.job.groupBy({ by: ["kind", "state", "attempts"], _count: true, orderBy: { kind: "asc" } });
    expect(jobs).toEqual([
      { kind: "vm.delete", state: "SUCCEEDED", attempts: 1, _count: 60 },
      { kind: "vm.provision", state: "CANCELLED", attempts: 0, _count: 60 },
    ]);
    const perVm = await db.prisma.vmEvent.groupBy({ by: ["vmId"], where: { kind: "deleted" }, _count: true });
    expect(perVm).toHaveLength(60);
    expect(perVm.every((r) => r._count === 1)).toBe(true);
    expect(await db.prisma.virtualMachine.count({ where: { state: "DELETED" } })).toBe(60);
    const finished = workers.map((w) => w.stats().finished.SUCCEEDED ?? 0);
    expect(finished[0]! + finished[1]!).toBe(60);
    expect(finished.every((n) => n > 0)).toBe(true); // both took part
  }, 300_000);
});
