import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { encryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import {
  adoptDrift,
  cleanUpDrift,
  drainHost,
  getHostDetail,
  listHosts,
  reconcileAllHostsTask,
  reconcileHost,
  refreshHostFacts,
  removeHost,
  undrainHost,
} from "@/lib/hosts";
import { defineDomain, undefineDomain } from "@/lib/libvirt/domains";
import { createCloneVolume, deleteVolume } from "@/lib/libvirt/volumes";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import { DB_KINDS, freshDatabase, type DbKind } from "@/tests/helpers/db";
import { makeTeam, makeUser } from "@/tests/helpers/factories";
import { getLab, rootVirsh, type Lab } from "@/tests/helpers/lab";

// Reconciliation against the shared lab host (other suites' objects may be there too: this file
// only ever asks to clean what it made), and drain/remove on both databases.

let lab: Lab;
let sshPool: SshPool;
const run = `t${process.pid}`;
const unknownDomain = `skj-${run}-stray`;
const strayDisk = `skj-${run}-stray.qcow2`;
const orphan = `skj-${run}-orphan.qcow2`;
const foreign = `${run}-foreign.qcow2`;

beforeAll(() => {
  lab = getLab();
  sshPool = createSshPool();
});
afterAll(async () => {
  const ctx = { pool: sshPool, target: lab.target };
  await undefineDomain({ ...ctx, name: unknownDomain, removeStorage: false }).catch(() => undefined);
  for (const volume of [strayDisk, orphan, foreign]) await deleteVolume({ ...ctx, storagePool: lab.pool, volume }).catch(() => undefined);
  await sshPool.close();
});

async function seedHost(db: Database, status: "ONLINE" | "PENDING_KEY" = "ONLINE") {
  const region = await db.prisma.region.upsert({
    where: { code: "osl1" },
    update: {},
    create: { code: "osl1", name: "Oslo", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
  });
  return db.prisma.host.create({
    data: {
      name: `lab-${Math.random().toString(36).slice(2, 8)}`,
      regionId: region.id,
      address: lab.address,
      port: lab.port,
      username: lab.username,
      privateKeyEnc: encryptSecret(lab.target.privateKey),
      publicKey: lab.publicKey,
      hostKeyFingerprint: status === "ONLINE" ? lab.hostKeyFingerprint : null,
      status,
      accelerator: "TCG", // known already: no probe in this file
    },
  });
}

async function makeVm(db: Database, hostId: string, state: "RUNNING" | "DELETED", domainName: string) {
  const team = await makeTeam(db.prisma);
  const host = await db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
  const plan = await db.prisma.plan.upsert({
    where: { code: "nano" },
    update: {},
    create: { code: "nano", name: "Nano", vcpus: 1, memoryMb: 512, diskGb: 10 },
  });
  const image = await db.prisma.image.upsert({
    where: { slug: "debian-12" },
    update: {},
    create: { slug: "debian-12", name: "Debian 12", os: "debian", version: "12" },
  });
  return db.prisma.virtualMachine.create({
    data: {
      teamId: team.id,
      name: domainName,
      regionId: host.regionId,
      planId: plan.id,
      imageId: image.id,
      hostId,
      state,
      vcpus: 1,
      memoryMb: 512,
      diskGb: 10,
      domainName,
      diskVolume: `${domainName}.qcow2`,
    },
  });
}

describe("reconciling the lab host (embedded database)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase("embedded");
  });
  afterAll(async () => db?.close());

  it("finds an unknown skj- domain, an orphan volume and a missing domain, and cleans only Skjold's objects", async () => {
    const admin = (await makeUser(db.prisma, { isAdmin: true })).principal;
    const host = await seedHost(db);
    await refreshHostFacts({ prisma: db.prisma, hostId: host.id, sshPool });
    const missing = await makeVm(db, host.id, "RUNNING", `skj-${run}-gone`);
    const ctx = { pool: sshPool, target: lab.target, storagePool: lab.pool };
    for (const name of [strayDisk, orphan, foreign])
      await createCloneVolume({ ...ctx, baseVolume: lab.image.volume, name, capacityBytes: 2 ** 30 });
    await defineDomain({
      ...ctx,
      spec: { name: unknownDomain, type: "qemu", vcpus: 1, memoryMiB: 128, disk: { pool: lab.pool, volume: strayDisk } },
    });

    const drift = await reconcileHost({ prisma: db.prisma, principal: admin, hostId: host.id, sshPool });
    // the stray disk is a pool volume: libvirt reports its name, not a path
    expect(drift.unknownDomains.find((d) => d.name === unknownDomain)).toEqual({
      name: unknownDomain,
      state: "shut off",
      disks: [strayDisk],
      volumes: [{ pool: lab.pool, name: strayDisk }],
      cleanable: true,
    });
    expect(drift.orphanVolumes.map((v) => v.name)).not.toContain(strayDisk); // it belongs to the stray domain
    expect(drift.orphanVolumes.find((v) => v.name === orphan)).toMatchObject({ pool: lab.pool, cleanable: true });
    expect(drift.orphanVolumes.find((v) => v.name === foreign)).toMatchObject({ cleanable: false });
    expect(drift.missingDomains).toEqual([{ vmId: missing.id, vmName: missing.name, domainName: missing.domainName, state: "RUNNING" }]);
    expect(
      (await getHostDetail({ prisma: db.prisma, principal: admin, hostId: host.id })).drift?.drift.unknownDomains.map((d) => d.name),
    ).toContain(unknownDomain);

    const result = await cleanUpDrift({
      prisma: db.prisma,
      principal: admin,
      hostId: host.id,
      sshPool,
      input: {
        domains: [unknownDomain, "skj-not-there"],
        volumes: [
          { pool: lab.pool, name: orphan },
          { pool: lab.pool, name: foreign },
          { pool: lab.pool, name: lab.image.volume },
        ],
      },
    });
    expect(result.cleaned).toEqual([`domain ${unknownDomain}`, `volume ${lab.pool}/${strayDisk}`, `volume ${lab.pool}/${orphan}`]);
    expect(result.refused.map((r) => r.name)).toEqual(["skj-not-there", `${lab.pool}/${foreign}`, `${lab.pool}/${lab.image.volume}`]);
    expect(rootVirsh("list", "--all", "--name")).not.toContain(unknownDomain);
    const files = rootVirsh("vol-list", lab.pool);
    expect(files).not.toContain(strayDisk);
    expect(files).not.toContain(orphan);
    expect(files).toContain(foreign);
    expect(files).toContain(lab.image.volume);

    const adopted = await adoptDrift({
      prisma: db.prisma,
      principal: admin,
      hostId: host.id,
      sshPool,
      input: { volumes: [{ pool: lab.pool, name: foreign }] },
    });
    expect(adopted.adopted).toEqual([`${lab.pool}/${foreign}`]);
    expect(adopted.drift.orphanVolumes.map((v) => v.name)).not.toContain(foreign);
  });

  it("reconciles every usable host on schedule and skips hosts whose key is not confirmed", async () => {
    const usable = await seedHost(db);
    const pending = await seedHost(db, "PENDING_KEY");
    await refreshHostFacts({ prisma: db.prisma, hostId: usable.id, sshPool });
    await reconcileAllHostsTask.run({ prisma: db.prisma, workerId: "test", signal: new AbortController().signal, firedAt: new Date() });
    const stored = await db.prisma.setting.findMany({ where: { key: { startsWith: "hosts.drift." } } });
    expect(stored.map((s) => s.key)).toContain(`hosts.drift.${usable.id}`);
    expect(stored.map((s) => s.key)).not.toContain(`hosts.drift.${pending.id}`);
  });
});

describe.each(DB_KINDS)("drain and remove on %s", (kind: DbKind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  it("drains, refuses to remove a host with VMs, removes it when empty, and never lists the key", async () => {
    const { principal: admin } = await makeUser(db.prisma, { isAdmin: true });
    const { principal: member } = await makeUser(db.prisma);
    const host = await seedHost(db);
    expect((await drainHost({ prisma: db.prisma, principal: admin, hostId: host.id })).draining).toBe(true);
    const vm = await makeVm(db, host.id, "RUNNING", `skj-${run}-${kind}`);
    await makeVm(db, host.id, "DELETED", `skj-${run}-${kind}-old`);
    const listed = (await listHosts({ prisma: db.prisma, principal: admin, page: { limit: 50 } })).items.find((h) => h.id === host.id)!;
    expect(listed.capacity).toMatchObject({ vms: 1, vcpus: { allocated: 1 }, memoryMb: { allocated: 512 }, diskGb: { allocated: 10 } });
    expect(JSON.stringify(listed)).not.toMatch(/privateKey|PRIVATE/);

    const refused = await removeHost({ prisma: db.prisma, principal: admin, hostId: host.id }).catch((e: AppError) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(
      `${host.name} still has 1 virtual machine: ${vm.name} (running). Drain it and move or delete them first.`,
    );
    const notAdmin = await removeHost({ prisma: db.prisma, principal: member, hostId: host.id }).catch((e: AppError) => e);
    expect((notAdmin as AppError).code).toBe("NOT_FOUND");

    await db.prisma.virtualMachine.update({ where: { id: vm.id }, data: { state: "DELETED" } });
    expect((await undrainHost({ prisma: db.prisma, principal: admin, hostId: host.id })).draining).toBe(false);
    expect(await removeHost({ prisma: db.prisma, principal: admin, hostId: host.id })).toEqual({ removed: host.name });
    expect(await db.prisma.host.count({ where: { id: host.id } })).toBe(0);
    expect(await db.prisma.virtualMachine.count({ where: { hostId: null, state: "DELETED" } })).toBe(2); // history kept
    const actions = (await db.prisma.auditEvent.findMany({ where: { targetId: host.id }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["host.drain", "host.undrain", "host.remove"]);
  });
});
