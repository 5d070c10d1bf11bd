import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import {
  addHost,
  confirmHostKey,
  getHostDetail,
  listHosts,
  reconcileHost,
  reconfirmHostKey,
  refreshHost,
  registerImage,
} from "@/lib/hosts";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import { freshDatabase } from "@/tests/helpers/db";
import { makeUser } from "@/tests/helpers/factories";
import { getLab, type Lab } from "@/tests/helpers/lab";
import { TwinSshd } from "@/tests/helpers/twin-sshd";

// Onboarding against a real sshd: the lab host's own sshd configuration and host key, run as a
// second instance on a port of this file's own. Its host key is then swapped (sshd restarted, as a
// reinstalled host would be) without disturbing the shared lab sshd that other suites use.

const fingerprintOf = (pubFile: string) => execFileSync("ssh-keygen", ["-lf", pubFile], { encoding: "utf8" }).split(" ")[1]!;

let lab: Lab;
let db: Database;
let sshPool: SshPool;
const sshd = new TwinSshd("skjold-hosts-sshd-");
let admin: Awaited<ReturnType<typeof makeUser>>["principal"];
let hostId = "";

beforeAll(async () => {
  lab = getLab();
  db = await freshDatabase("embedded");
  sshPool = createSshPool();
  admin = (await makeUser(db.prisma, { isAdmin: true })).principal;
  await db.prisma.region.create({ data: { code: "osl1", name: "Oslo", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" } });
  await db.prisma.image.create({ data: { slug: "debian-12", name: "Debian 12", os: "debian", version: "12" } });
  sshd.useKey("/var/lib/skjold-lab/ssh_host_ed25519_key");
  await sshd.start();
});
afterAll(async () => {
  sshd.stop();
  rmSync(sshd.dir, { recursive: true, force: true });
  await sshPool?.close();
  await db?.close();
});

async function caught(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const hostRow = () => db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });

describe("onboarding a libvirt host over SSH", () => {
  it("adds the host as PENDING_KEY with the fingerprint ssh-keygen shows, and never hands out the private key", async () => {
    const privateKey = readFileSync(lab.privateKeyPath, "utf8");
    const input = {
      name: "lab-twin",
      regionCode: "osl1",
      address: "127.0.0.1",
      port: sshd.port,
      username: lab.username,
      keyMode: "paste",
      privateKey,
      networkMode: "USER_FORWARD",
    };
    const added = await addHost({ prisma: db.prisma, principal: admin, input });
    hostId = added.host.id;
    expect(added.host.status).toBe("PENDING_KEY");
    expect(added.presentedFingerprint).toBe(fingerprintOf("/var/lib/skjold-lab/ssh_host_ed25519_key.pub"));
    expect(added.hostKeyAlgorithm).toBe("ssh-ed25519");
    expect(added.publicKey).toBe(lab.publicKey.split(" ").slice(0, 2).join(" "));
    expect(added.authorizedKeysLine).toBe(`restrict,port-forwarding ${added.publicKey} skjold@lab-twin`);
    const everything = JSON.stringify([
      added,
      await listHosts({ prisma: db.prisma, principal: admin, page: { limit: 50 } }),
      await getHostDetail({ prisma: db.prisma, principal: admin, hostId }),
    ]);
    expect(everything).not.toContain("PRIVATE KEY");
    expect(everything).not.toContain("privateKeyEnc");
    const stored = await hostRow();
    expect(stored.privateKeyEnc).toMatch(/^v1\./);
    expect(stored.hostKeyFingerprint).toBeNull();
  });

  it("runs nothing before the key is confirmed and refuses a fingerprint the host does not present", async () => {
    expect((await caught(refreshHost({ prisma: db.prisma, principal: admin, hostId, sshPool }))).message).toMatch(
      /lab-twin: its SSH host key has not been confirmed/,
    );
    expect(sshPool.stats().connectsOpened).toBe(0);
    const wrong = `SHA256:${"A".repeat(43)}`;
    const err = await caught(confirmHostKey({ prisma: db.prisma, principal: admin, hostId, input: { fingerprint: wrong }, sshPool }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain("is not the key the host presents now");
    expect(await hostRow()).toMatchObject({ status: "PENDING_KEY", hostKeyFingerprint: null });
  });

  it("pins the confirmed key and discovers versions, CPUs, memory, the pool (not NVMe here) and TCG", async () => {
    const { presentedFingerprint } = await hostRow();
    const r = await confirmHostKey({ prisma: db.prisma, principal: admin, hostId, input: { fingerprint: presentedFingerprint }, sshPool });
    expect(r.error).toBeNull();
    const host = await getHostDetail({ prisma: db.prisma, principal: admin, hostId });
    expect(host).toMatchObject({
      status: "ONLINE",
      hostKeyFingerprint: presentedFingerprint,
      presentedFingerprint: null,
      lastError: null,
      accelerator: "TCG",
    });
    expect(host.cpuCount).toBe(Number(execFileSync("nproc", ["--all"], { encoding: "utf8" }).trim()));
    expect(host.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(host.memoryMb).toBeGreaterThan(512);
    const pool = host.pools.find((p) => p.name === lab.pool)!;
    expect(pool).toMatchObject({ path: lab.poolPath, isNvme: false });
    expect(pool.mediaNote).toMatch(/^not NVMe: /);
    expect(pool.capacityBytes).toBeGreaterThan(pool.availableBytes);
    expect(host.capacity.vcpus.total).toBe(host.cpuCount);
    expect(r.facts!.images.map((i) => i.name)).toContain(lab.image.volume);
    const audit = await db.prisma.auditEvent.findMany({ where: { targetId: hostId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["host.create", "host.key.confirm"]);
  });

  it("offers the lab image with its kernel and registers it with a checksum computed on the host", async () => {
    const drift = await reconcileHost({ prisma: db.prisma, principal: admin, hostId, sshPool });
    const found = drift.unregisteredImages.find((i) => i.name === lab.image.volume);
    expect(found).toMatchObject({ pool: lab.pool, slug: "debian-12", kernelPath: lab.image.kernelPath, initrdPath: lab.image.initrdPath });
    const input = {
      hostId,
      imageSlug: "debian-12",
      pool: lab.pool,
      volume: lab.image.volume,
      kernelPath: found!.kernelPath!,
      initrdPath: found!.initrdPath!,
    };
    const bad = await caught(
      registerImage({ prisma: db.prisma, principal: admin, input: { ...input, expectedSha256: "0".repeat(64) }, sshPool }),
    );
    expect(bad.message).toContain(`has sha256 ${lab.image.sha256}`);
    const copy = await registerImage({ prisma: db.prisma, principal: admin, input, sshPool });
    expect(copy).toMatchObject({
      volume: lab.image.volume,
      format: "qcow2",
      checksumSha256: lab.image.sha256,
      kernelPath: lab.image.kernelPath,
    });
    const hostile = await caught(
      registerImage({ prisma: db.prisma, principal: admin, input: { ...input, volume: "x;touch /tmp/pwned" }, sshPool }),
    );
    expect(hostile.code).toBe("VALIDATION");
    expect(
      (await reconcileHost({ prisma: db.prisma, principal: admin, hostId, sshPool })).unregisteredImages.map((i) => i.name),
    ).not.toContain(lab.image.volume);
  });

  it("stops all work when the host key changes, and works again after an admin re-confirms", async () => {
    const other = path.join(sshd.dir, "other_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    sshd.stop();
    sshd.useKey(other);
    await sshd.start(); // a reinstalled host: the pooled connection drops, the next one meets the new key
    const err = await caught(refreshHost({ prisma: db.prisma, principal: admin, hostId, sshPool }));
    expect(err.code).toBe("HOST_KEY_MISMATCH");
    const sshdLog = readFileSync(sshd.log, "utf8");
    expect(sshdLog).toMatch(/Connection from 127\.0\.0\.1/); // Skjold did connect…
    expect(sshdLog).not.toMatch(/Accepted publickey|session opened|Starting session/); // …and left at key exchange: nothing ran
    const before = sshPool.stats();
    expect(await hostRow()).toMatchObject({ status: "KEY_MISMATCH", presentedFingerprint: fingerprintOf(`${other}.pub`) });
    const opened = sshPool.stats().connectsOpened;
    const input = { hostId, imageSlug: "debian-12", pool: lab.pool, volume: lab.image.volume };
    expect((await caught(registerImage({ prisma: db.prisma, principal: admin, input, sshPool }))).code).toBe("HOST_KEY_MISMATCH");
    expect((await caught(reconcileHost({ prisma: db.prisma, principal: admin, hostId, sshPool }))).code).toBe("HOST_KEY_MISMATCH");
    expect(sshPool.stats()).toMatchObject({ connectsOpened: opened, commandsRun: before.commandsRun });

    const r = await reconfirmHostKey({
      prisma: db.prisma,
      principal: admin,
      hostId,
      input: { fingerprint: fingerprintOf(`${other}.pub`) },
      sshPool,
    });
    expect(r.error).toBeNull();
    expect(await hostRow()).toMatchObject({ status: "ONLINE", hostKeyFingerprint: fingerprintOf(`${other}.pub`), accelerator: "TCG" });
    const actions = (await db.prisma.auditEvent.findMany({ where: { targetId: hostId }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions.at(-1)).toBe("host.key.reconfirm");
  });

  it("records an unreachable host as OFFLINE with host and step named", async () => {
    sshd.stop();
    await sshPool.close();
    const err = await caught(refreshHost({ prisma: db.prisma, principal: admin, hostId, sshPool }));
    expect(err.code).toBe("HOST_UNREACHABLE");
    const host = await hostRow();
    expect(host.status).toBe("OFFLINE");
    expect(host.lastError).toMatch(/^lab-twin: discover host: cannot connect over SSH \(ECONNREFUSED\)/);
  });
});
