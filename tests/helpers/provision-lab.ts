import { randomBytes, randomInt } from "node:crypto";
import { statfsSync, statSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { encryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Accelerator } from "@/lib/generated/prisma/enums";
import { listDomains } from "@/lib/libvirt/domains";
import { listVolumes } from "@/lib/libvirt/volumes";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { generateKeyPair, type GeneratedKeyPair } from "@/lib/ssh/keygen";
import type { SshTarget } from "@/lib/ssh/target";
import { makeTeam, makeUser } from "./factories";
import { getLab, type Lab } from "./lab";

// The lab host onboarded straight into a test database from lab.json (what host onboarding does
// through the admin pages): region osl1, host ONLINE with its key pinned, its pool, and the
// debian-12 image copy. Each call picks its own block of forward ports, so test files and other
// portals sharing the lab host do not collide.

export interface LabHostOptions {
  /** the host's vCPU overcommit (the lab has 2 cores; TCG guests mostly wait) */
  vcpuOvercommit?: number;
  accelerator?: Accelerator;
  cpuCount?: number;
  memoryMb?: number;
}

export async function onboardLabHost(prisma: PrismaClient, opts: LabHostOptions = {}) {
  const lab = getLab();
  await seedDatabase(prisma, { adminPassword: "lab-admin-password-not-used" });
  const region = await prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
  const portStart = 23_000 + randomInt(0, 130) * 50;
  const host = await prisma.host.create({
    data: {
      name: `lab-${randomBytes(3).toString("hex")}`,
      regionId: region.id,
      address: lab.address,
      port: lab.port,
      username: lab.username,
      privateKeyEnc: encryptSecret(lab.target.privateKey),
      publicKey: lab.publicKey,
      hostKeyAlgorithm: "ssh-ed25519",
      hostKeyFingerprint: lab.hostKeyFingerprint,
      hostKeyPinnedAt: new Date(),
      status: "ONLINE",
      accelerator: opts.accelerator ?? "TCG",
      networkMode: "USER_FORWARD",
      cpuCount: opts.cpuCount ?? cpus().length,
      memoryMb: opts.memoryMb ?? Math.floor(totalmem() / 2 ** 20),
      vcpuOvercommit: opts.vcpuOvercommit ?? 8,
      forwardPortStart: portStart,
      forwardPortEnd: portStart + 49,
    },
  });
  const fs = statfsSync(lab.poolPath);
  const pool = await prisma.storagePool.create({
    data: {
      hostId: host.id,
      name: lab.pool,
      path: lab.poolPath,
      capacityBytes: BigInt(fs.blocks) * BigInt(fs.bsize),
      availableBytes: BigInt(fs.bavail) * BigInt(fs.bsize),
    },
  });
  const image = await prisma.image.findUniqueOrThrow({ where: { slug: "debian-12" } });
  await prisma.imageCopy.create({
    data: {
      imageId: image.id,
      hostId: host.id,
      poolId: pool.id,
      volume: lab.image.volume,
      checksumSha256: lab.image.sha256,
      sizeBytes: BigInt(statSync(lab.image.path).size),
      kernelPath: lab.image.kernelPath,
      initrdPath: lab.image.initrdPath,
    },
  });
  return { lab, region, host, pool, image };
}

/** A member of a fresh team with one SSH key on their profile; the private half stays with the test. */
export async function makeTenant(
  prisma: PrismaClient,
  team: { maxVms?: number; maxVcpus?: number; maxMemoryMb?: number; maxDiskGb?: number } = {},
) {
  const { user, principal } = await makeUser(prisma);
  const created = await makeTeam(prisma, [{ userId: user.id, role: "MEMBER" }]);
  const t = Object.keys(team).length ? await prisma.team.update({ where: { id: created.id }, data: team }) : created;
  const key: GeneratedKeyPair = generateKeyPair({ comment: `tenant@${t.slug}` });
  const sshKey = await prisma.sshKey.create({
    data: { userId: user.id, name: "laptop", publicKey: key.publicKey, keyType: "ssh-ed25519", bits: 256, fingerprint: key.fingerprint },
  });
  return { user, principal, team: t, sshKey, privateKey: key.privateKey };
}

/** The guest as its tenant reaches it: the tenant's own key, the guest's pinned host key, through the lab host. */
export function tenantTarget(
  lab: Lab,
  vm: { adminUser: string; sshPort: number | null; guestHostKeyFingerprint: string | null; name: string },
  privateKey: string,
): SshTarget {
  return {
    label: `tenant@${vm.name}`,
    host: "127.0.0.1",
    port: vm.sshPort!,
    username: vm.adminUser,
    privateKey,
    hostKeyFingerprint: vm.guestHostKeyFingerprint,
    via: lab.target,
  };
}

/**
 * What the host has that belongs to this database's VMs, compared with what the database says:
 * domains and volumes of VMs that should have none (failed, deleted), and duplicates. Empty = clean.
 */
export async function findOrphans(db: Database, lab: Lab): Promise<string[]> {
  const vms = await db.prisma.virtualMachine.findMany({ select: { domainName: true, state: true } });
  const ctx = { pool: sharedSshPool(), target: lab.target };
  const domains = new Set((await listDomains(ctx)).map((d) => d.name));
  const volumes = new Set((await listVolumes({ ...ctx, storagePool: lab.pool })).map((v) => v.name));
  const problems: string[] = [];
  for (const vm of vms) {
    const gone = vm.state === "FAILED" || vm.state === "DELETED";
    for (const [what, present] of [
      ["domain", domains.has(vm.domainName)],
      ["disk", volumes.has(`${vm.domainName}.qcow2`)],
      ["seed", volumes.has(`${vm.domainName}-seed.img`)],
    ] as const) {
      if (gone && present) problems.push(`${vm.domainName} is ${vm.state} but its ${what} is still on the host`);
      if (vm.state === "RUNNING" && !present) problems.push(`${vm.domainName} is RUNNING but its ${what} is missing`);
    }
  }
  return problems;
}

/** Polls the job until `check` holds on its snapshot (or the job ended), for tests that act mid-job. */
export async function waitForJob(
  db: Database,
  jobId: string,
  check: (s: import("@/lib/jobs/watch").JobSnapshot) => boolean,
  timeoutMs = 600_000,
) {
  const { getJobSnapshot } = await import("@/lib/jobs/watch");
  const started = Date.now();
  for (;;) {
    const s = (await getJobSnapshot({ prisma: db.prisma, jobId, includeOutputs: true }))!;
    if (check(s) || s.done) return s;
    if (Date.now() - started > timeoutMs)
      throw new Error(`job ${jobId} did not get there: ${JSON.stringify(s.steps.map((x) => `${x.key}:${x.state}`))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Only after a failed test: removes whatever a not-deleted VM of this database may still have on the lab host. */
export async function removeLeftoverVms(db: Database | undefined, storagePool: string): Promise<void> {
  const { spawnSync } = await import("node:child_process");
  const left = await db?.prisma.virtualMachine.findMany({ where: { state: { notIn: ["DELETED"] } } });
  for (const vm of left ?? []) {
    for (const args of [
      ["destroy", vm.domainName],
      ["undefine", vm.domainName],
      ["vol-delete", "--pool", storagePool, `${vm.domainName}.qcow2`],
      ["vol-delete", "--pool", storagePool, `${vm.domainName}-seed.img`],
    ]) {
      spawnSync("virsh", ["-q", "-c", "qemu:///system", ...args]);
    }
  }
}

/** A fresh PostgreSQL database (worker processes reach it by URL) with the lab host onboarded. */
export async function openLabDatabase() {
  const { createPostgresDatabase } = await import("./jobs-processes");
  const { openDatabase } = await import("@/lib/db/connect");
  const target = await createPostgresDatabase();
  const db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 4 });
  const env = await onboardLabHost(db.prisma);
  return {
    url: target.url,
    db,
    env,
    async close() {
      await db.close();
      await target.drop();
    },
  };
}
