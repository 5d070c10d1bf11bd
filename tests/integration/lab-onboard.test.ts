import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/access/principal";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { registerImage } from "@/lib/hosts";
import { LAB_DIR, readLabFacts, type LabFacts } from "@/lib/lab/lab-facts";
import { onboardLab } from "@/lib/lab/onboard-lab";
import { createSshPool } from "@/lib/ssh/pool";
import { orderOptions } from "@/lib/vms/order/order-options";
import { freshDatabase } from "@/tests/helpers/db";
import { makeUser } from "@/tests/helpers/factories";
import { getLab } from "@/tests/helpers/lab";

// `npm start -- --lab` against the real lab that `npm test` brings up (scripts/lab-host up --hosts 2:
// the loopback lab host, lab-h1 routed, lab-h2 bridged) on a fresh embedded database, as a newcomer's
// first run would have it. Nothing boots a guest here; provision-lab and network-lab tests do that.

/** What `ssh-keygen -lf` says of a lab host's public host key file: the fingerprint to expect pinned. */
const keyFileFingerprint = (name: string) => {
  const file =
    name === "lab-host" ? `${LAB_DIR}/ssh_host_ed25519_key.pub` : `${LAB_DIR}/hosts/${name.replace("lab-", "")}/ssh_host_ed25519_key.pub`;
  return execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" }).split(" ")[1]!;
};
const TENANT_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJcLnIRqqeiulSI9xcVQTn8gqYJSjYr+CspZqbOKLEVf newcomer@laptop";

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("onboarding this machine's lab (npm start -- --lab)", () => {
  let db: Database;
  let admin: Extract<Principal, { kind: "user" }>;
  let facts: LabFacts;
  const sshPool = createSshPool();
  const lab = getLab();
  const run = () =>
    onboardLab({
      prisma: db.prisma,
      principal: admin,
      facts,
      sshPool,
      publicKeys: [{ name: "laptop", publicKey: TENANT_KEY }],
      log: (line) => console.log(`[lab-onboard ${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}`),
    });
  const t0 = Date.now();
  const snapshot = async () => ({
    hosts: await db.prisma.host.findMany({ orderBy: { name: "asc" } }),
    copies: await db.prisma.imageCopy.findMany({ orderBy: { id: "asc" } }),
    pools: await db.prisma.ipPool.findMany({ orderBy: { name: "asc" } }),
    teams: await db.prisma.team.findMany(),
    keys: await db.prisma.sshKey.findMany(),
    audit: await db.prisma.auditEvent.count(),
  });

  beforeAll(async () => {
    db = await freshDatabase("embedded");
    await seedDatabase(db.prisma, { adminPassword: "lab-onboard-admin-password" });
    admin = (await makeUser(db.prisma, { isAdmin: true })).principal;
    facts = readLabFacts({ network: true });
  });

  afterAll(async () => {
    await sshPool.close();
    await db?.close();
  });

  it("onboards every lab host with the key its own files name, registers the image with its kernel, and makes pools and a team", async () => {
    const result = await run();
    expect(result.changed).toBe(true);
    const hosts = await db.prisma.host.findMany({ include: { region: true, pools: true }, orderBy: { name: "asc" } });
    expect(hosts.map((h) => [h.name, h.networkMode])).toEqual([
      ["lab-h1", "ROUTED"],
      ["lab-h2", "BRIDGED"],
      ["lab-host", "USER_FORWARD"],
    ]);
    for (const h of hosts) {
      expect(h).toMatchObject({ status: "ONLINE", hostKeyFingerprint: keyFileFingerprint(h.name), presentedFingerprint: null });
      expect(h.region.code).toBe("osl1");
      expect(h.hostKeyPinnedAt).not.toBeNull();
      expect(h.accelerator).not.toBe("UNKNOWN"); // the probe booted the image's kernel on the host
      expect(h.pools.map((p) => p.name)).toContain(lab.pool);
    }
    const copies = await db.prisma.imageCopy.findMany({ include: { image: true, host: true } });
    expect(copies).toHaveLength(3);
    for (const c of copies) {
      expect(c).toMatchObject({
        volume: lab.image.volume,
        checksumSha256: lab.image.sha256,
        kernelPath: lab.image.kernelPath,
        initrdPath: lab.image.initrdPath,
        format: "qcow2",
      });
      expect(c.image.slug).toBe("debian-12");
    }
    expect(existsSync(lab.image.kernelPath) && existsSync(lab.image.initrdPath)).toBe(true);
    const pools = await db.prisma.ipPool.findMany({ include: { host: true } });
    expect(pools.map((p) => [p.name, p.cidr, p.host?.name ?? null]).sort()).toEqual(
      [
        ["lab-h1-v4", facts.hosts[1]!.ipv4!.cidr, "lab-h1"],
        ["lab-h1-v6", facts.hosts[1]!.ipv6!.cidr, "lab-h1"],
        ["segment-v4", facts.hosts[2]!.ipv4!.cidr, null],
        ["segment-v6", facts.hosts[2]!.ipv6!.cidr, null],
      ].sort(),
    );
    // The admin's audit trail says what was done, as if they had clicked through Admin → Hosts.
    const actions = (await db.prisma.auditEvent.findMany({ where: { actorUserId: admin.userId } })).map((a) => a.action);
    expect(actions.filter((a) => a === "host.key.confirm")).toHaveLength(3);
    expect(actions.filter((a) => a === "image.register")).toHaveLength(3);
    // The newcomer can order at once: a team of theirs, their key, Oslo with room and the image.
    const options = await orderOptions({ prisma: db.prisma, principal: admin, teamSlug: "lab" });
    expect(options.regions.find((r) => r.code === "osl1")).toMatchObject({ hasCapacity: true, allowedByPolicy: true });
    expect(options.images.map((i) => i.slug)).toEqual(["debian-12"]);
    expect(options.sshKeys.map((k) => k.name)).toEqual(["laptop"]);
  }, 600_000); // three hosts discovered and TCG-probed, the image checksummed on each

  it("changes nothing when run again", async () => {
    const before = await snapshot();
    const result = await run();
    expect(result).toMatchObject({ changed: false, imagesRegistered: [], poolsCreated: [], teamCreated: false, keysAdded: [] });
    expect(result.hosts.every((h) => h.changes.length === 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it("pins nothing when a host presents a key the lab's files do not name", async () => {
    const impostor = { ...facts.hosts[0]!, name: "lab-host-again", hostKeyFingerprint: keyFileFingerprint("lab-h1") };
    const err = await caught(onboardLab({ prisma: db.prisma, principal: admin, facts: { ...facts, hosts: [impostor] }, sshPool }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain(`the lab's files say its host key is ${impostor.hostKeyFingerprint}`);
    expect(await db.prisma.host.findUnique({ where: { name: "lab-host-again" } })).toMatchObject({
      status: "PENDING_KEY",
      hostKeyFingerprint: null,
    });
  });

  it("refuses to register the image without its kernel: its disk has no boot loader", async () => {
    const host = await db.prisma.host.findUniqueOrThrow({ where: { name: "lab-host" } });
    const input = { hostId: host.id, imageSlug: "debian-12", pool: lab.pool, volume: lab.image.volume };
    const err = await caught(registerImage({ prisma: db.prisma, principal: admin, input, sshPool }));
    expect(err.code).toBe("VALIDATION");
    expect(err.message).toContain(`${lab.image.volume} has no boot loader`);
    expect(err.message).toContain("image.kernelPath");
    const initrdOnly = await caught(
      registerImage({ prisma: db.prisma, principal: admin, input: { ...input, initrdPath: lab.image.initrdPath }, sshPool }),
    );
    expect(initrdOnly.message).toContain("kernelPath: an initrd is only used with a kernel");
    const copy = await db.prisma.imageCopy.findFirstOrThrow({ where: { hostId: host.id } });
    expect(copy.kernelPath).toBe(lab.image.kernelPath); // the registered copy is untouched
  });
});
