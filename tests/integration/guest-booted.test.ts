import { connect as tcpConnect } from "node:net";
import { Client } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCloudInit } from "@/lib/guest/cloud-init";
import { hardenGuest } from "@/lib/guest/harden-guest";
import { diffReports, type HardeningReportData } from "@/lib/guest/report";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { collectGuestEvidence } from "@/lib/guest/verify/guest-evidence";
import { fingerprintKeyBlob } from "@/lib/ssh/fingerprint";
import { generateKeyPair } from "@/lib/ssh/keygen";
import type { AppError } from "@/lib/core/errors";
import { encryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import { verifyVm } from "@/lib/vms/verify/verify-vm";
import { bootGuest, type BootedGuest } from "@/tests/helpers/booted-guest";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam } from "@/tests/helpers/factories";

// Guest hardening proven on a REAL booted lab guest (TCG under CI), reached as the admin user with
// the management key through the lab host as an SSH jump, the guest's host key pinned from the seed.

const ADMIN = "skjold";
const name = `skj-hard-${process.pid}`;
const tenantKey = generateKeyPair({ comment: "tenant@example" });
const mgmtKey = generateKeyPair({ comment: "skjold-mgmt" });
const hardening = { adminUser: ADMIN, sshPublicKey: tenantKey.publicKey, extraSshPublicKeys: [mgmtKey.publicKey], role: "vm" as const };
let guest: BootedGuest;

const run = async (cmd: string) => {
  const r = await guest.shell.exec(cmd);
  if (r.code !== 0) throw new Error(`guest command failed (${r.code}): ${cmd}: ${r.stderr}`);
  return r.stdout;
};
const report = async () =>
  evaluateGuestControls({
    evidence: await collectGuestEvidence({ shell: guest.shell, adminUser: ADMIN, privilege: "sudo" }),
    expect: { role: "vm", adminUser: ADMIN },
  });
const ids = (r: HardeningReportData, status: string) => r.controls.filter((c) => c.status === status).map((c) => c.id);

/** One SSH login attempt straight to the guest's sshd through the lab host; what the server allowed. */
async function tryLogin(auth: { username: string; password?: string; privateKey?: string }): Promise<{ ok: boolean; offered: string[] }> {
  const hostSsh = await guest.pool.connection(guest.lab.target, "login attempt");
  const sock = await hostSsh.forwardOut("127.0.0.1", 0, "127.0.0.1", guest.forwards[22]!);
  const offered: string[] = [];
  let tried = false;
  return new Promise((resolve) => {
    const c = new Client();
    c.on("ready", () => (c.end(), resolve({ ok: true, offered })));
    c.on("error", () => (c.end(), resolve({ ok: false, offered })));
    c.connect({
      sock,
      username: auth.username,
      readyTimeout: 30_000,
      hostVerifier: (key: Buffer) => fingerprintKeyBlob(key) === guest.hostKeyFingerprint,
      authHandler: (methodsLeft, _partial, next) => {
        if (methodsLeft) offered.push(...methodsLeft);
        if (tried) return next(false as never);
        tried = true;
        next(
          auth.password !== undefined
            ? { type: "password", username: auth.username, password: auth.password }
            : ({ type: "publickey", username: auth.username, key: auth.privateKey! } as never),
        );
      },
    });
  });
}

/** Sends an HTTP request to 127.0.0.1:port (the host side of a forward); the status line or null when nothing answers. */
function httpStatus(port: number, waitMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, "127.0.0.1");
    let data = "";
    const done = (v: string | null) => (s.destroy(), resolve(v));
    const timer = setTimeout(() => done(null), waitMs);
    s.on("connect", () => s.write("GET / HTTP/1.0\r\n\r\n"));
    s.on("data", (d) => (data += d));
    s.on("close", () => (clearTimeout(timer), resolve(data.split("\r\n")[0] || null)));
    s.on("error", () => (clearTimeout(timer), resolve(null)));
  });
}

beforeAll(async () => {
  const cloudInit = buildCloudInit({ ...hardening, hostname: name });
  guest = await bootGuest({ name, cloudInit, adminUser: ADMIN, adminPrivateKey: mgmtKey.privateKey, extraForwards: [8080] });
  console.info(`[booted] ${guest.accelerator}: SSH answered ${guest.sshAnsweredAfterS.toFixed(1)} s after start`);
}, 900_000);

afterAll(async () => {
  await guest?.stop();
}, 300_000);

describe("hardening on a booted guest", () => {
  it("converges over SSH with sudo in one exec, and a second run changes nothing", async () => {
    const first = await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
    expect(first.roundTrips).toBe(1);
    // cloud-init wrote the same files at first boot; only what it cannot write is left to converge.
    expect(first.changes).toContain("file:/etc/sudoers.d/90-skjold-admin");
    const before = guest.shell.execCount();
    const second = await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
    expect(guest.shell.execCount() - before).toBe(1);
    expect(second).toMatchObject({ changed: false, changes: [], roundTrips: 1 });
    expect((await run("cat ~/.ssh/authorized_keys")).trim().split("\n")).toEqual([tenantKey.publicKey, mgmtKey.publicKey]);
  }, 300_000);

  it("every guest control passes from the machine's own state, or is not applicable to a plain VM", async () => {
    const r = await report();
    expect(r.controls.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
    expect(ids(r, "not_applicable")).toEqual(["k3s.kubelet-sysctls"]);
    expect(r.passed + r.notApplicable).toBe(r.controls.length);
    expect(r.controls.find((c) => c.id === "ssh.permit-root-login")?.evidence).toBe("permitrootlogin no");
    expect(r.controls.find((c) => c.id === "fw.default-deny-inbound")?.status).toBe("pass");
  });

  it("refuses root over SSH even with a valid key in root's authorized_keys", async () => {
    await run(`sudo -n sh -c 'install -d -m 700 /root/.ssh && echo "${mgmtKey.publicKey}" > /root/.ssh/authorized_keys'`);
    expect(await tryLogin({ username: ADMIN, privateKey: mgmtKey.privateKey })).toMatchObject({ ok: true });
    const root = await tryLogin({ username: "root", privateKey: mgmtKey.privateKey });
    expect(root.ok).toBe(false);
    await run("sudo -n rm -f /root/.ssh/authorized_keys");
  });

  it("refuses a password: the server offers public keys only", async () => {
    const attempt = await tryLogin({ username: ADMIN, password: "correct horse battery staple" });
    expect(attempt.ok).toBe(false);
    expect([...new Set(attempt.offered)]).toEqual(["publickey"]);
  });

  it("drops inbound connections to a port other than SSH (nftables), and only the firewall stands in the way", async () => {
    await run("sudo -n sh -c 'cd /tmp && nohup python3 -m http.server 8080 >/tmp/http.log 2>&1 &' && sleep 1");
    expect(await run("python3 -c 'import urllib.request as u; print(u.urlopen(\"http://127.0.0.1:8080/\").status)'")).toMatch(/^200\s*$/);
    expect(await httpStatus(guest.forwards[8080]!, 8000)).toBeNull();
    expect(await run("sudo -n cat /tmp/http.log")).not.toMatch(/10\.0\.2\.2/);
    await run("sudo -n nft insert rule inet skjold input tcp dport 8080 accept");
    expect(await httpStatus(guest.forwards[8080]!, 30_000)).toMatch(/^HTTP\/1\.0 200/);
    // the hole is drift: the report sees the firewall table changed and hardening closes it
    const repaired = await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
    expect(repaired.changes).toEqual(["nftables-runtime"]);
    expect(await httpStatus(guest.forwards[8080]!, 8000)).toBeNull();
    await run("sudo -n pkill -f '[h]ttp.server 8080'");
  }, 300_000);

  it("a setting weakened by hand fails exactly its control, shows as drift, and hardening repairs it", async () => {
    const good = await report();
    await run(
      "sudo -n sed -i 's/^PermitRootLogin no$/PermitRootLogin yes/' /etc/ssh/sshd_config.d/00-skjold-hardening.conf && sudo -n systemctl reload ssh.service",
    );
    const weak = await report();
    expect(ids(weak, "fail")).toEqual(["ssh.permit-root-login"]);
    expect(weak.controls.find((c) => c.id === "ssh.permit-root-login")?.evidence).toBe("permitrootlogin yes");
    expect(diffReports({ previous: good, current: weak })).toEqual([
      expect.objectContaining({ id: "ssh.permit-root-login", was: "pass", now: "fail" }),
    ]);

    await run("sudo -n sysctl -q -w net.ipv4.tcp_syncookies=0");
    expect(ids(await report(), "fail")).toEqual(["ssh.permit-root-login", "net.syncookies"]);

    const repair = await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
    expect(repair.changes).toEqual(
      expect.arrayContaining(["file:/etc/ssh/sshd_config.d/00-skjold-hardening.conf", "sysctl:net.ipv4.tcp_syncookies"]),
    );
    const after = await report();
    expect(ids(after, "fail")).toEqual([]);
    expect(diffReports({ previous: weak, current: after })).toEqual([]);
    expect((await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" })).changed).toBe(false);
  }, 300_000);

  it("keeps Skjold's sshd settings in force over a foreign drop-in that sorts first", async () => {
    try {
      await run(
        "echo 'PermitRootLogin yes' | sudo -n tee /etc/ssh/sshd_config.d/0-override.conf >/dev/null && sudo -n systemctl reload ssh.service",
      );
      expect(await run("sudo -n sshd -T | grep -i '^permitrootlogin '")).toMatch(/^permitrootlogin no/i);
      expect(ids(await report(), "fail")).toEqual([]);
    } finally {
      await run("sudo -n rm -f /etc/ssh/sshd_config.d/0-override.conf && sudo -n systemctl reload ssh.service");
    }
  }, 300_000);

  // sshd keeps the FIRST value it reads: with Skjold's include-first line removed by hand, a drop-in
  // sorting before 00-skjold-hardening.conf wins. The evidence sees it as drift; hardening repairs it.
  it("sees an override once the include-first line is gone, and re-hardening repairs it", async () => {
    const good = await report();
    try {
      await run(
        `sudo -n sed -i '1{/^Include .*00-skjold-hardening.conf$/d}' /etc/ssh/sshd_config && echo 'PermitRootLogin yes' | sudo -n tee /etc/ssh/sshd_config.d/0-override.conf >/dev/null && sudo -n systemctl reload ssh.service`,
      );
      const weak = await report();
      expect(ids(weak, "fail")).toEqual(["ssh.permit-root-login"]);
      expect(diffReports({ previous: good, current: weak }).map((d) => d.id)).toEqual(["ssh.permit-root-login"]);
      const repair = await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
      expect(repair.changes).toContain("sshd:include-first");
      expect(ids(await report(), "fail")).toEqual([]);
    } finally {
      await run("sudo -n rm -f /etc/ssh/sshd_config.d/0-override.conf && sudo -n systemctl reload ssh.service");
    }
    expect(ids(await report(), "fail")).toEqual([]);
  }, 300_000);
});

/** The lab host and the booted guest as the database knows them after provisioning. */
async function recordGuest(db: Database, overrides: { guestHostKeyFingerprint?: string; state?: "RUNNING" | "STOPPED" } = {}) {
  const { prisma } = db;
  const lab = guest.lab;
  const region = await prisma.region.create({
    data: { code: `lab-${Math.random().toString(36).slice(2, 8)}`, name: "Lab", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
  });
  const host = await prisma.host.create({
    data: {
      name: `lab-${region.code}`,
      regionId: region.id,
      address: lab.address,
      port: lab.port,
      username: lab.username,
      privateKeyEnc: encryptSecret(lab.target.privateKey),
      publicKey: lab.publicKey,
      hostKeyFingerprint: lab.hostKeyFingerprint,
      status: "ONLINE",
    },
  });
  const plan = await prisma.plan.create({ data: { code: `p-${region.code}`, name: "Small", vcpus: 1, memoryMb: 1024, diskGb: 10 } });
  const image = await prisma.image.create({ data: { slug: `debian-${region.code}`, name: "Debian 12", os: "debian", version: "12" } });
  const team = await makeTeam(prisma);
  return prisma.virtualMachine.create({
    data: {
      teamId: team.id,
      name,
      regionId: region.id,
      planId: plan.id,
      imageId: image.id,
      hostId: host.id,
      state: overrides.state ?? "RUNNING",
      vcpus: 1,
      memoryMb: 1024,
      diskGb: 10,
      domainName: `${name}-${region.code}`,
      adminUser: ADMIN,
      sshHost: "127.0.0.1",
      sshPort: guest.forwards[22]!,
      guestHostKeyFingerprint: overrides.guestHostKeyFingerprint ?? guest.hostKeyFingerprint,
      mgmtKeyEnc: encryptSecret(mgmtKey.privateKey),
      mgmtPublicKey: mgmtKey.publicKey,
    },
  });
}

describe.each(DB_KINDS)("verifyVm re-runs the evidence on the booted guest (%s)", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("stores a report, then one whose driftFrom names exactly what went from pass to fail", async () => {
    const vm = await recordGuest(db);
    const first = await verifyVm({ prisma: db.prisma, vmId: vm.id, pool: guest.pool });
    expect(first).toMatchObject({ failed: 0, drift: [] });
    await run("sudo -n sysctl -q -w net.ipv4.tcp_syncookies=0");
    const second = await verifyVm({ prisma: db.prisma, vmId: vm.id, pool: guest.pool });
    expect(second.drift.map((d) => d.id)).toEqual(["net.syncookies"]);
    await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
    const third = await verifyVm({ prisma: db.prisma, vmId: vm.id, pool: guest.pool });
    expect(third).toMatchObject({ failed: 0, drift: [] });

    const rows = await db.prisma.hardeningReport.findMany({ where: { vmId: vm.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.scope, r.failed, r.driftFrom])).toEqual([
      ["guest", 0, null],
      ["guest", 1, "net.syncookies"],
      ["guest", 0, null],
    ]);
    expect(rows.map((r) => r.id)).toEqual([first.id, second.id, third.id]);
    expect((rows[1]!.controls as { id: string; status: string; evidence: string }[]).find((c) => c.id === "net.syncookies")).toMatchObject({
      status: "fail",
      evidence: expect.stringContaining("0"),
    });
    const events = await db.prisma.vmEvent.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["hardening.verified", "hardening.drift", "hardening.verified"]);
    expect(events[1]!.message).toBe("Hardening drifted: net.syncookies now fail");
  }, 300_000);

  it("refuses a guest whose host key is not the one pinned, and a VM that is not running", async () => {
    const impostor = await recordGuest(db, { guestHostKeyFingerprint: generateKeyPair().fingerprint });
    const err = await verifyVm({ prisma: db.prisma, vmId: impostor.id, pool: guest.pool }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("HOST_KEY_MISMATCH");
    const stopped = await recordGuest(db, { state: "STOPPED" });
    await expect(verifyVm({ prisma: db.prisma, vmId: stopped.id, pool: guest.pool })).rejects.toThrow(
      /is stopped: only a running VM can be verified/,
    );
    expect(await db.prisma.hardeningReport.count({ where: { vmId: { in: [impostor.id, stopped.id] } } })).toBe(0);
  });
});
