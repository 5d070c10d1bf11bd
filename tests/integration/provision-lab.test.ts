import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { jobRegistry } from "@/lib/runtime/registry";
import { startWorker, type WorkerHandle } from "@/lib/jobs/worker";
import { getDomainState } from "@/lib/libvirt/domains";
import { listVolumes } from "@/lib/libvirt/volumes";
import { placeOrder } from "@/lib/vms/order/place-order";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { latestVmHardeningReport } from "@/lib/vms/queries/hardening-report";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { verifyVmNow } from "@/lib/vms/verify/verify-vm-now";
import { vmPowerAction } from "@/lib/vms/power/vm-power-action";
import { resizeVm } from "@/lib/vms/resize/resize-vm";
import { openEntries } from "@/lib/residency/open-entries";
import { backupVm } from "@/lib/vms/backup/backup-vm";
import { deleteBackup } from "@/lib/vms/backup/delete-backup";
import { restoreBackup } from "@/lib/vms/backup/restore-backup";
import { createSession, revokeAllSessions } from "@/lib/auth/session";
import { sha256Hex } from "@/lib/core/secrets";
import type { ConsoleSession } from "@/lib/vms/console/console-hub";
import { openVmConsole } from "@/lib/vms/console/open-vm-console";
import { setConsolePassword } from "@/lib/vms/console/set-console-password";
import { makeTeam, makeUser } from "@/tests/helpers/factories";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { findOrphans, makeTenant, onboardLabHost, tenantTarget, waitForJob } from "@/tests/helpers/provision-lab";

// One real order, end to end on PostgreSQL and the lab host: the pipeline places, clones, seeds,
// boots under TCG, waits for SSH with the guest's key pinned, hardens and verifies; the tenant then
// logs in with their own key, with the exact command the VM page shows. Then power off and delete.

describe("ordering a VM on the lab host", () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let db: Database;
  let worker: WorkerHandle;
  let env: Awaited<ReturnType<typeof onboardLabHost>>;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let vmId = "";
  const logs: string[] = [];

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 6 });
    env = await onboardLabHost(db.prisma);
    tenant = await makeTenant(db.prisma);
    worker = startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 100, leaseMs: 10_000, log: (l) => logs.push(l) });
  });

  afterAll(async () => {
    await worker?.stop({ graceMs: 1_000 });
    if (vmId && db) {
      const vm = await db.prisma.virtualMachine.findUnique({ where: { id: vmId } });
      if (vm && vm.state !== "DELETED")
        execFileSync("virsh", ["-q", "-c", "qemu:///system", "destroy", vm.domainName], { stdio: "ignore" });
    }
    await db?.close();
    await target?.drop();
  });

  it("orders a VM that answers SSH with the tenant's key, hardened and on the residency ledger", async () => {
    const input = { name: "web-1", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id };
    const { vm, jobId } = await placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input });
    vmId = vm.id;
    expect(vm).toMatchObject({ state: "PENDING", hostId: env.host.id, domainName: `skj-${vm.id.replaceAll("-", "").slice(0, 12)}` });
    worker.wake();

    const end = await waitForJob(db, jobId, () => false);
    expect(end.state, `${end.lastError}\n${logs.join("\n")}`).toBe("SUCCEEDED");
    expect(end.steps.map((s) => s.key)).toEqual([
      "reserve",
      "place",
      "allocate-port",
      "clone-and-seed",
      "host-network",
      "define-start",
      "wait-ssh",
      "harden",
      "verify",
      "ready",
    ]);

    const detail = await getVmDetail({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId });
    expect(detail.state).toBe("RUNNING");
    expect(detail.sshCommand).toBe(`ssh -p ${detail.sshPort} skjold@127.0.0.1`);
    expect(detail.guestHostKeyFingerprint).toMatch(/^SHA256:/);
    expect(detail.events.map((e) => e.kind)).toEqual([
      "ordered",
      "provisioning",
      "placed",
      "port",
      "disk",
      "seed",
      "started",
      "ssh-ready",
      "hardened",
      "verified",
      "ready",
    ]);

    // The tenant's own key, through the host as a jump, with the guest's seeded host key pinned.
    const pool = sharedSshPool();
    const asTenant = tenantTarget(env.lab, detail, tenant.privateKey);
    expect((await pool.exec({ target: asTenant, argv: ["hostname"], step: "tenant login" })).stdout.trim()).toBe("web-1");

    // The exact command from the VM page, with OpenSSH, strict host key checking on the pinned key.
    const dir = mkdtempSync(path.join(tmpdir(), "skjold-tenant-"));
    try {
      writeFileSync(path.join(dir, "id"), tenant.privateKey, { mode: 0o600 });
      writeFileSync(path.join(dir, "known_hosts"), `[127.0.0.1]:${detail.sshPort} ${detail.guestHostKey}\n`);
      const [, ...args] = detail.sshCommand!.split(" ");
      const out = execFileSync(
        "ssh",
        [
          "-i",
          path.join(dir, "id"),
          "-o",
          "IdentitiesOnly=yes",
          "-o",
          "BatchMode=yes",
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          `UserKnownHostsFile=${dir}/known_hosts`,
          ...args,
          "id",
          "-un",
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(out.trim()).toBe("skjold");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    expect(detail.hardeningReport).not.toBeNull();
    expect(detail.hardeningReport!.passed).toBeGreaterThan(30);
    const failing = (detail.hardeningReport!.controls as { id: string; status: string }[])
      .filter((c) => c.status === "fail")
      .map((c) => c.id);
    expect(failing).toEqual([]);

    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vmId }, orderBy: { seq: "asc" } });
    expect(
      openEntries(ledger)
        .map((e) => `${e.resourceKind}@${e.hostName}/${e.poolName}`)
        .sort(),
    ).toEqual([`VM_DISK@${env.host.name}/${env.pool.name}`, `VM_SEED@${env.host.name}/${env.pool.name}`]);
  }, 900_000);

  it("re-runs the checks on demand as a job: a setting weakened by the tenant shows as drift, and clears once restored", async () => {
    const pool = sharedSshPool();
    const detail = await getVmDetail({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId });
    const asTenant = tenantTarget(env.lab, detail, tenant.privateKey);
    const ctx = { prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId };
    const verifyOnce = async () => {
      const { jobId } = await verifyVmNow(ctx);
      worker.wake();
      const end = await waitForJob(db, jobId, () => false);
      expect(end.state, end.lastError ?? "").toBe("SUCCEEDED");
      return latestVmHardeningReport(ctx);
    };
    await pool.exec({ target: asTenant, argv: ["sudo", "-n", "sysctl", "-q", "-w", "net.ipv4.tcp_syncookies=0"], step: "weaken by hand" });
    const drifted = await verifyOnce();
    expect(drifted).toMatchObject({ vm: "web-1", failed: 1, driftFrom: ["net.syncookies"] });
    await pool.exec({ target: asTenant, argv: ["sudo", "-n", "sysctl", "-q", "-w", "net.ipv4.tcp_syncookies=1"], step: "restore" });
    expect(await verifyOnce()).toMatchObject({ failed: 0, driftFrom: [] });
    const events = (await db.prisma.vmEvent.findMany({ where: { vmId }, orderBy: { id: "asc" } })).slice(-2);
    expect(events.map((e) => [e.kind, e.message])).toEqual([
      ["hardening.drift", "Hardening drifted: net.syncookies now fail"],
      ["hardening.verified", expect.stringMatching(/^Hardening verified: \d+ pass, 0 fail/)],
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: "vm.verify", targetId: vmId } })).toBe(2);
  }, 300_000);

  it("changes the running VM's plan: the disk and its filesystem grow online, vCPUs and memory wait for the next start", async () => {
    const ctx = { prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId };
    await db.prisma.plan.createMany({
      data: [
        { code: "nano-plus", name: "Nano plus", vcpus: 2, memoryMb: 768, diskGb: 12 },
        { code: "nano-slim", name: "Nano slim", vcpus: 1, memoryMb: 512, diskGb: 8 },
      ],
    });
    const detail = await getVmDetail(ctx);
    const asTenant = tenantTarget(env.lab, detail, tenant.privateKey);
    const rootSize = async () =>
      Number(
        (await sharedSshPool().exec({ target: asTenant, argv: ["df", "-B1", "--output=size", "/"], step: "root size" })).stdout.split(
          "\n",
        )[1],
      );
    const before = await rootSize();
    expect(before).toBeLessThan(10.5 * 2 ** 30);
    // A smaller disk is refused in words before anything is queued.
    const shrink = await resizeVm({ ...ctx, input: { planCode: "nano-slim" } }).catch((e: unknown) => e);
    expect(shrink).toMatchObject({ code: "VALIDATION", message: expect.stringContaining("a disk cannot shrink") });
    expect(await db.prisma.job.count({ where: { vmId, kind: "vm.resize" } })).toBe(0);

    const { jobId } = await resizeVm({ ...ctx, input: { planCode: "nano-plus" } });
    // The row holds the new size at once (quota and the host's room count it).
    expect(await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } })).toMatchObject({
      vcpus: 2,
      memoryMb: 768,
      diskGb: 12,
    });
    worker.wake();
    const end = await waitForJob(db, jobId, () => false);
    expect(end.state, end.lastError ?? "").toBe("SUCCEEDED");
    const after = await rootSize();
    expect(after).toBeGreaterThan(11 * 2 ** 30);
    expect(after).toBeGreaterThan(before);
    // The running guest keeps its vCPUs and memory; the persistent definition has the new ones.
    const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } });
    const inactive = execFileSync("virsh", ["-q", "-c", "qemu:///system", "dumpxml", "--inactive", vm.domainName], { encoding: "utf8" });
    expect(inactive).toMatch(/<vcpu[^>]*>2<\/vcpu>/);
    expect(inactive).toMatch(/<memory unit='KiB'>786432<\/memory>/);
    const live = execFileSync("virsh", ["-q", "-c", "qemu:///system", "dumpxml", vm.domainName], { encoding: "utf8" });
    expect(live).toMatch(/<vcpu[^>]*>1<\/vcpu>/);
    const [event] = await db.prisma.vmEvent.findMany({ where: { vmId, kind: "resized" } });
    expect(event?.message).toBe(
      "Resized to Nano plus: 2 vCPUs, 768 MiB, 12 GB disk; the disk and its filesystem grew online; vCPUs and memory apply at the next start (shut down, then start)",
    );
    expect(await db.prisma.auditEvent.count({ where: { action: "vm.resize", targetId: vmId } })).toBe(1);
    // The same plan again: nothing to change.
    expect(await resizeVm({ ...ctx, input: { planCode: "nano-plus" } }).catch((e: unknown) => e)).toMatchObject({ code: "CONFLICT" });
  }, 300_000);

  // Backups (issue 16) on the same booted guest, to a target in the lab host's own pool: full, then
  // incremental after a change; the bytes each moved are what the job measured on the way.
  const marker = "/home/skjold/backup-marker.txt";
  const nonce = `${process.pid}-${Date.now()}`;
  const backupIds: string[] = [];

  it("backs the running VM up to a backup target: full first, then an incremental one that moves fewer bytes", async () => {
    const ctx = { prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId };
    await db.prisma.backupTarget.upsert({
      where: { name: "lab-backups" },
      update: {},
      create: { name: "lab-backups", poolId: env.pool.id, regionId: env.host.regionId },
    });
    const detail = await getVmDetail(ctx);
    const asTenant = tenantTarget(env.lab, detail, tenant.privateKey);
    const write = (text: string) =>
      sharedSshPool().exec({
        target: asTenant,
        argv: ["sh", "-c", `printf '%s\\n' "$1" >"$2" && sync`, "sh", text, marker],
        step: "write marker",
      });
    const backUp = async () => {
      const started = Date.now();
      const { backupId, jobId } = await backupVm({ ...ctx, input: { target: "lab-backups" } });
      worker.wake();
      const end = await waitForJob(db, jobId, () => false);
      expect(end.state, `${end.lastError}\n${logs.join("\n")}`).toBe("SUCCEEDED");
      console.info(`[backup] ${((Date.now() - started) / 1000).toFixed(1)} s`);
      backupIds.push(backupId);
      return db.prisma.backup.findUniqueOrThrow({ where: { id: backupId } });
    };
    await write(`original-${nonce}`);
    const full = await backUp();
    await write(`changed-${nonce}`);
    const inc = await backUp();
    expect(full).toMatchObject({ kind: "FULL", state: "GOOD", parentId: null, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(inc).toMatchObject({ kind: "INCREMENTAL", state: "GOOD", parentId: full.id, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    console.info(`[backup] full moved ${full.bytesMoved} bytes, incremental ${inc.bytesMoved} bytes`);
    expect(Number(inc.bytesMoved)).toBeLessThan(Number(full.bytesMoved));
    expect(Number(full.sizeBytes)).toBe(12 * 2 ** 30);
    // Each is on the target with the recorded checksum, in the ledger, and no scratch file is left.
    const onTarget = (await listVolumes({ pool: sharedSshPool(), target: env.lab.target, storagePool: env.lab.pool })).map((v) => v.name);
    expect(onTarget).toEqual(expect.arrayContaining([full.volume, inc.volume]));
    expect(onTarget.filter((v) => v.startsWith(`${detail.domainName}-bk-`))).toEqual([]);
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceKind: "BACKUP" }, orderBy: { seq: "asc" } });
    expect(openEntries(ledger).map((e) => [e.resourceId, e.hostName, e.poolName, e.regionCode, e.teamId])).toEqual([
      [full.id, env.host.name, env.pool.name, "osl1", tenant.team.id],
      [inc.id, env.host.name, env.pool.name, "osl1", tenant.team.id],
    ]);
    const events = await db.prisma.vmEvent.findMany({ where: { vmId, kind: "backup" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Backup [0-9a-f]{8} \(full\) on lab-backups: \d+ bytes moved, sha256 [0-9a-f]{64}$/),
      expect.stringMatching(/^Backup [0-9a-f]{8} \(incremental\) on lab-backups: \d+ bytes moved, sha256 [0-9a-f]{64}$/),
    ]);
  }, 300_000);

  // The browser console's path without the browser: the portal's lib opens the VM's serial console
  // over the host's pooled SSH connection (virsh console), a password set through the portal logs
  // the admin user in on it, a command's output comes back; closing leaves no virsh on the host.
  it("opens the serial console: a console password logs in, a command's output comes back, and every way a session ends is audited", async () => {
    const ctx = { prisma: db.prisma, teamSlug: tenant.team.slug, vmId };
    const signIn = async (userId: string) => {
      const { token } = await createSession({ prisma: db.prisma, userId, mfaVerified: true });
      return (await db.prisma.session.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } })).id;
    };
    const person = { ...tenant.principal, sessionId: await signIn(tenant.user.id) };
    const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } });
    const virshLeft = async () =>
      (await sharedSshPool().exec({ target: env.lab.target, argv: ["ps", "-eo", "args"], step: "list processes" })).stdout
        .split("\n")
        .filter((l) => l.includes("virsh") && l.includes(" console ") && l.includes(vm.domainName));

    // Viewers and auditors may not open it (403), another team does not see the VM (404), tokens are refused.
    const viewer = await makeUser(db.prisma);
    await db.prisma.membership.create({ data: { userId: viewer.user.id, teamId: tenant.team.id, role: "VIEWER" } });
    expect(await openVmConsole({ ...ctx, principal: viewer.principal }).catch((e: unknown) => e)).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await setConsolePassword({ ...ctx, principal: viewer.principal, input: { password: "x".repeat(16) } }).catch((e: unknown) => e),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    const stranger = await makeUser(db.prisma);
    const other = await makeTeam(db.prisma, [{ userId: stranger.user.id, role: "OWNER" }]);
    expect(await openVmConsole({ ...ctx, teamSlug: other.slug, principal: stranger.principal }).catch((e: unknown) => e)).toMatchObject({
      code: "NOT_FOUND",
    });

    const password = `Skj-${randomBytes(12).toString("base64url")}`;
    await setConsolePassword({ ...ctx, principal: person, input: { password } });
    const { session } = await openVmConsole({ ...ctx, principal: person, checkEveryMs: 500 });
    let screen = "";
    session.subscribe((e) => {
      if (e.kind !== "end") screen += e.text;
    });
    const waitFor = async (pattern: RegExp, from: number, ms = 120_000) => {
      const until = Date.now() + ms;
      while (!pattern.test(screen.slice(from))) {
        if (Date.now() > until) throw new Error(`console never showed ${pattern}; it showed:\n${screen.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      return screen.length;
    };
    let at = screen.length;
    session.input("\r");
    // A serial console is like a keyboard on the machine: a shell left logged in is still there.
    at = await waitFor(/(login: *|\$ *)$/, at);
    if (!/login: *$/.test(screen)) {
      session.input("exit\r");
      at = await waitFor(/login: *$/, at);
    }
    session.input("skjold\r");
    at = await waitFor(/Password: *$/, at);
    session.input(`${password}\r`);
    at = await waitFor(/\$ *$/, at);
    const n = randomInt(1_000_000);
    // The typed line shows $((6*7)); only the shell's output shows 42.
    session.input(`echo skjold-$((6*7))-${n}\r`);
    await waitFor(new RegExp(`skjold-42-${n}`), at);
    session.input("exit\r");
    await waitFor(/login: *$/, at);
    session.end("closed");
    expect(await session.ended).toBe("closed");
    for (let i = 0; i < 40 && (await virshLeft()).length > 0; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await virshLeft()).toEqual([]);

    // The admin's idle limit (tiny here) ends a session nobody types in; a revoked sign-in ends one too.
    const idle = await openVmConsole({ ...ctx, principal: person, idleMs: 1_500 });
    expect(await idle.session.ended).toBe("idle");
    const revoked = await openVmConsole({ ...ctx, principal: person, checkEveryMs: 300 });
    await revokeAllSessions({ prisma: db.prisma, userId: tenant.user.id });
    expect(await revoked.session.ended).toBe("signed-out");
    for (let i = 0; i < 40 && (await virshLeft()).length > 0; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await virshLeft()).toEqual([]);

    // Audited: who, when, for how long and why it ended; the password is nowhere in the audit log.
    await new Promise((r) => setTimeout(r, 200));
    const audit = await db.prisma.auditEvent.findMany({
      where: { targetId: vmId, action: { startsWith: "vm.console" } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorLabel, (a.details as { reason?: string }).reason])).toEqual([
      ["vm.console.password", tenant.user.email, undefined],
      ["vm.console.open", tenant.user.email, undefined],
      ["vm.console.close", tenant.user.email, "closed"],
      ["vm.console.open", tenant.user.email, undefined],
      ["vm.console.close", tenant.user.email, "idle"],
      ["vm.console.open", tenant.user.email, undefined],
      ["vm.console.close", tenant.user.email, "signed-out"],
    ]);
    const closed = audit[2]!.details as { sessionId: string; durationSeconds: number };
    expect(closed.sessionId).toBe((session as ConsoleSession).id);
    expect(closed.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(password);
  }, 300_000);

  it("forces the VM off through a power job", async () => {
    const { jobId } = await vmPowerAction({
      prisma: db.prisma,
      principal: tenant.principal,
      teamSlug: tenant.team.slug,
      vmId,
      action: "force-off",
    });
    worker.wake();
    expect((await waitForJob(db, jobId, () => false)).state).toBe("SUCCEEDED");
    const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } });
    expect(vm.state).toBe("STOPPED");
    expect(await getDomainState({ pool: sharedSshPool(), target: env.lab.target, name: vm.domainName })).toBe("shut off");
    const refused = await verifyVmNow({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "CONFLICT", message: "web-1 is stopped: only a running VM can be checked." });
  }, 120_000);

  it("restores a full backup in place: a tampered file is refused first, then the original content is back; an incremental one is refused for now", async () => {
    const ctx = { prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId };
    const [fullId, incId] = backupIds;
    const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } });
    const restore = async (backupId: string) => {
      const started = Date.now();
      const { jobId } = await restoreBackup({ ...ctx, backupId });
      worker.wake();
      const end = await waitForJob(db, jobId, () => false);
      console.info(`[restore] ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return end;
    };
    // The guest's file as the restored disk holds it (the VM stays off: it was off before).
    const markerOnDisk = () => {
      const dir = mkdtempSync(path.join(tmpdir(), "skjold-restore-check-"));
      try {
        execFileSync("qemu-img", ["convert", "-O", "raw", `${env.lab.poolPath}/${vm.domainName}.qcow2`, `${dir}/disk.raw`]);
        // A crash-consistent copy: replay the ext4 journal on it first, as mounting it would.
        spawnSync("e2fsck", ["-y", "-E", "journal_only", `${dir}/disk.raw`], { stdio: "ignore" });
        return execFileSync("debugfs", ["-R", `cat ${marker}`, `${dir}/disk.raw`], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }).trim();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    expect(markerOnDisk()).toBe(`changed-${nonce}`);

    // One byte of the full backup changed on the target: refused in words before the VM is touched.
    const full = await db.prisma.backup.findUniqueOrThrow({ where: { id: fullId! } });
    const fd = openSync(full.path!, "r+");
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 4096);
    writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, 4096);
    try {
      const refused = await restore(fullId!);
      expect(refused.state).toBe("ROLLED_BACK");
      expect(refused.lastError).toMatch(
        new RegExp(
          `^Backup ${fullId!.slice(0, 8)} of web-1 on lab-backups does not match the checksum recorded when it was taken \\(recorded ${full.sha256}, now [0-9a-f]{64}\\): it was changed or damaged, so nothing was restored\\.$`,
        ),
      );
      expect(refused.steps.find((st) => st.key === "fetch")?.state).not.toBe("SUCCEEDED");
      expect(markerOnDisk()).toBe(`changed-${nonce}`);
    } finally {
      writeSync(fd, byte, 0, 1, 4096);
      closeSync(fd);
    }

    const first = await restore(fullId!);
    expect(first.state, first.lastError ?? "").toBe("SUCCEEDED");
    expect(markerOnDisk()).toBe(`original-${nonce}`);
    expect(await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } })).toMatchObject({ state: "STOPPED" });
    // An incremental chain is refused for now, in words, before anything is queued (docs/backups.md).
    expect(await restoreBackup({ ...ctx, backupId: incId! }).catch((e: unknown) => e)).toMatchObject({
      code: "CONFLICT",
      key: "error.backup.incrementalRestore",
    });
    const events = await db.prisma.vmEvent.findMany({
      where: { vmId, kind: { in: ["restored", "restore-failed"] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["restore-failed", "restored"]);
    expect(await db.prisma.auditEvent.count({ where: { action: "vm.restore", targetId: vmId } })).toBe(2);
  }, 300_000);

  it("deletes the backups, newest first: files gone from the target, ledger entries closed", async () => {
    const ctx = { prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId };
    const [fullId, incId] = backupIds;
    // The full one is the base of the incremental: refused while that exists.
    expect(await deleteBackup({ ...ctx, backupId: fullId! }).catch((e: unknown) => e)).toMatchObject({
      code: "CONFLICT",
      message: `Backup ${fullId!.slice(0, 8)} is the base of 1 later backup(s): delete those first.`,
    });
    for (const backupId of [incId!, fullId!]) {
      const { jobId } = await deleteBackup({ ...ctx, backupId });
      worker.wake();
      expect((await waitForJob(db, jobId, () => false)).state).toBe("SUCCEEDED");
    }
    const rows = await db.prisma.backup.findMany({ where: { vmId } });
    expect(rows.map((b) => b.state)).toEqual(["DELETED", "DELETED"]);
    const onTarget = (await listVolumes({ pool: sharedSshPool(), target: env.lab.target, storagePool: env.lab.pool })).map((v) => v.name);
    expect(onTarget.filter((v) => v.startsWith("skjold-backup-"))).toEqual([]);
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceKind: "BACKUP" }, orderBy: { seq: "asc" } });
    expect(openEntries(ledger)).toEqual([]);
    expect(ledger.map((e) => e.action)).toEqual(["OPEN", "OPEN", "CLOSE", "CLOSE"]);
  }, 120_000);

  it("deletes the VM: no domain, no volumes, ledger closed, the row kept as history", async () => {
    const { jobId } = await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId });
    worker.wake();
    expect((await waitForJob(db, jobId, () => false)).state).toBe("SUCCEEDED");
    const vm = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } });
    expect(vm).toMatchObject({ state: "DELETED", sshPort: null });
    expect(vm.deletedAt).not.toBeNull();
    expect(await getDomainState({ pool: sharedSshPool(), target: env.lab.target, name: vm.domainName })).toBeNull();
    const volumes = (await listVolumes({ pool: sharedSshPool(), target: env.lab.target, storagePool: env.lab.pool })).map((v) => v.name);
    expect(volumes.filter((v) => v.startsWith(vm.domainName))).toEqual([]);
    expect(volumes).toContain(env.lab.image.volume);
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: vmId }, orderBy: { seq: "asc" } });
    expect(openEntries(ledger)).toEqual([]);
    expect(ledger.map((e) => e.action)).toEqual(["OPEN", "OPEN", "CLOSE", "CLOSE"]);
    expect(await db.prisma.vmEvent.count({ where: { vmId } })).toBeGreaterThan(10);
    expect(await findOrphans(db, env.lab)).toEqual([]);
  }, 180_000);

  // The lab image's volume has no boot loader: it boots only with its kernel and initrd named. The
  // Images page refuses it without them (register-image.ts); the copy is changed here directly, as a
  // row from before that check (or a hand edit) would be. The boot never reaches an OS: SeaBIOS says
  // "No bootable device." on the serial console within seconds of the domain's start.
  it("fails an order of an image registered without its kernel at once, in words, without retrying or leaving anything", async () => {
    const copy = { imageId_hostId: { imageId: env.image.id, hostId: env.host.id } };
    await db.prisma.imageCopy.update({ where: copy, data: { kernelPath: null, initrdPath: null } });
    try {
      const started = Date.now();
      const input = { name: "no-boot", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id };
      const { vm, jobId } = await placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input });
      worker.wake();
      const end = await waitForJob(db, jobId, () => false, 300_000);
      // A figure for docs/provisioning.md, not a condition: the wait for SSH alone was 10 min per attempt before.
      console.info(`[boot-diagnosis] order → FAILED (rolled back) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const reason =
        "The guest found no bootable device on its disk: image debian-12 has no boot loader, so it must be registered with its kernel and initrd (Admin → Images)";
      expect(end.state, `${end.lastError}\n${logs.join("\n")}`).toBe("ROLLED_BACK");
      expect(end.lastError).toBe(reason);
      expect(end.attempts).toBe(1);
      expect(end.steps.find((st) => st.key === "wait-ssh")).toMatchObject({ state: "FAILED", attempts: 1 });

      const detail = await getVmDetail({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId: vm.id });
      expect(detail).toMatchObject({ state: "FAILED", lastError: reason });
      expect(detail.events.map((e) => e.kind).slice(-3)).toEqual(["started", "boot-failed", "failed"]);
      expect(detail.events.at(-2)!.message).toBe('The guest cannot boot: its console says "No bootable device."');
      expect(detail.bootConsole?.lines).toEqual(
        expect.arrayContaining([expect.stringMatching(/^SeaBIOS \(version /), "No bootable device."]),
      );

      expect(await getDomainState({ pool: sharedSshPool(), target: env.lab.target, name: vm.domainName })).toBeNull();
      const volumes = (await listVolumes({ pool: sharedSshPool(), target: env.lab.target, storagePool: env.lab.pool })).map((v) => v.name);
      expect(volumes.filter((v) => v.startsWith(vm.domainName))).toEqual([]);
      expect(await findOrphans(db, env.lab)).toEqual([]);
    } finally {
      await db.prisma.imageCopy.update({
        where: copy,
        data: { kernelPath: env.lab.image.kernelPath, initrdPath: env.lab.image.initrdPath },
      });
    }
  }, 300_000);
});
