import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackupTarget } from "@/lib/backup-targets/create-backup-target";
import { listBackupTargets } from "@/lib/backup-targets/list-backup-targets";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { exportResidencyReport } from "@/lib/residency";
import { backupVm } from "@/lib/vms/backup/backup-vm";
import { closeBackupLocation, openBackupLocation } from "@/lib/vms/backup/backup-locations";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeTeam, makeUser, makeVms } from "../helpers/factories";

// Backups on both databases, without hosts: the admin's targets, the residency policy refusing a
// target before anything is recorded, and backups in the residency report as of a past date.

describe.each(DB_KINDS)("backups (%s)", (kind) => {
  let db: Database;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let owner: Awaited<ReturnType<typeof makeUser>>;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await seedDatabase(db.prisma, { adminPassword: "backups-test-pass" });
    admin = await makeUser(db.prisma, { isAdmin: true });
    owner = await makeUser(db.prisma);
    for (const [name, code] of [
      ["fra-h1", "fra1"],
      ["osl-h1", "osl1"],
    ] as const) {
      const region = await db.prisma.region.findUniqueOrThrow({ where: { code } });
      const host = await db.prisma.host.create({
        data: { name, regionId: region.id, address: "127.0.0.1", username: "skjold", privateKeyEnc: "x", publicKey: "x", status: "ONLINE" },
      });
      await db.prisma.storagePool.create({
        data: { hostId: host.id, name: "backups", path: `/srv/${name}/backups`, capacityBytes: 10n ** 12n, availableBytes: 10n ** 12n },
      });
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  it("registers a host's pool as a target in the host's region, admins only, audited", async () => {
    const input = { name: "fra-backups", host: "fra-h1", pool: "backups" };
    await expect(createBackupTarget({ prisma: db.prisma, principal: owner.principal, input })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const target = await createBackupTarget({ prisma: db.prisma, principal: admin.principal, input });
    expect(target).toMatchObject({
      name: "fra-backups",
      host: "fra-h1",
      pool: "backups",
      region: "fra1",
      country: "DE",
      jurisdiction: "EU",
    });
    await createBackupTarget({
      prisma: db.prisma,
      principal: admin.principal,
      input: { name: "osl-backups", host: "osl-h1", pool: "backups" },
    });
    await expect(
      createBackupTarget({ prisma: db.prisma, principal: admin.principal, input: { name: "nowhere", host: "osl-h1", pool: "other" } }),
    ).rejects.toMatchObject({ code: "VALIDATION", message: "Backup target: host osl-h1 has no storage pool other" });
    expect((await listBackupTargets({ prisma: db.prisma, principal: admin.principal })).map((t) => t.name)).toEqual([
      "fra-backups",
      "osl-backups",
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: "backup-target.create" } })).toBe(2);
  });

  it("refuses a target outside the team's policy in words: a Norway-only team and a target in Germany; nothing is recorded", async () => {
    const team = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    await db.prisma.team.update({ where: { id: team.id }, data: { residencyPolicy: "NORWAY_ONLY" } });
    const osl = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const host = await db.prisma.host.findUniqueOrThrow({ where: { name: "osl-h1" } });
    const [vm] = await makeVms(db.prisma, { teamId: team.id, regionId: osl.id, hostId: host.id, count: 1, prefix: "web" });
    await db.prisma.virtualMachine.update({ where: { id: vm!.id }, data: { state: "RUNNING" } });
    const before = {
      ledger: await db.prisma.dataLocation.count(),
      jobs: await db.prisma.job.count(),
      audit: await db.prisma.auditEvent.count({ where: { teamId: team.id } }),
    };
    const ctx = { prisma: db.prisma, principal: owner.principal, teamSlug: team.slug, vmId: vm!.id };
    await expect(backupVm({ ...ctx, input: { target: "fra-backups" } })).rejects.toMatchObject({
      code: "POLICY_VIOLATION",
      key: "error.backup.targetOutsidePolicy",
      message: 'Backup target fra-backups (fra1, DE, EU) is outside this team\'s residency policy "Norway only": nothing was copied.',
    });
    expect(await db.prisma.backup.count({ where: { vmId: vm!.id } })).toBe(0);
    expect({
      ledger: await db.prisma.dataLocation.count(),
      jobs: await db.prisma.job.count(),
      audit: await db.prisma.auditEvent.count({ where: { teamId: team.id } }),
    }).toEqual(before);
    // The Norwegian target is inside the policy: a backup is queued, first a full one.
    const { backupId } = await backupVm({ ...ctx, input: { target: "osl-backups" } });
    expect(await db.prisma.backup.findUniqueOrThrow({ where: { id: backupId } })).toMatchObject({ kind: "FULL", state: "PENDING" });
    expect(await db.prisma.job.count({ where: { vmId: vm!.id, kind: "vm.backup" } })).toBe(1);
  });

  it("lists in the team's report as of a date exactly the backups that existed then", async () => {
    const team = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    const osl = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const [vm] = await makeVms(db.prisma, { teamId: team.id, regionId: osl.id, count: 1, prefix: "db" });
    const target = await db.prisma.backupTarget.findUniqueOrThrow({
      where: { name: "osl-backups" },
      include: { region: true, pool: { include: { host: true } } },
    });
    const day = (d: number) => new Date(Date.UTC(2026, 0, d, 12));
    const backups = [];
    for (const [n, kind] of [
      [1, "FULL"],
      [2, "INCREMENTAL"],
    ] as const) {
      const b = await db.prisma.backup.create({
        data: { vmId: vm!.id, teamId: team.id, targetId: target.id, kind, state: "GOOD", checkpoint: `cp${n}`, volume: `b${n}.qcow2` },
      });
      backups.push(b);
    }
    const [b1, b2] = backups;
    await openBackupLocation({ prisma: db.prisma, backup: b1!, vmName: "db", target, path: "/srv/osl-h1/backups/b1.qcow2", at: day(10) });
    await openBackupLocation({ prisma: db.prisma, backup: b2!, vmName: "db", target, path: "/srv/osl-h1/backups/b2.qcow2", at: day(20) });
    await closeBackupLocation({ prisma: db.prisma, backupId: b1!.id, at: day(25) });

    const locationsAsOf = async (asOf: Date) => {
      const report = await exportResidencyReport({ prisma: db.prisma, format: "json", teamId: team.id, asOf, generatedBy: "test" });
      let text = "";
      for await (const chunk of report.stream) text += chunk;
      const json = JSON.parse(text) as {
        locations: {
          resourceId: string;
          resourceKind: string;
          host: string;
          pool: string;
          region: string;
          country: string;
          jurisdiction: string;
        }[];
      };
      return json.locations.filter((l) => l.resourceKind === "BACKUP");
    };
    expect(await locationsAsOf(day(5))).toEqual([]);
    expect(await locationsAsOf(day(15))).toEqual([
      expect.objectContaining({
        resourceId: b1!.id,
        host: "osl-h1",
        pool: "backups",
        region: "osl1",
        country: "NO",
        jurisdiction: "NO_EEA",
      }),
    ]);
    expect((await locationsAsOf(day(22))).map((l) => l.resourceId)).toEqual([b1!.id, b2!.id]);
    expect((await locationsAsOf(day(28))).map((l) => l.resourceId)).toEqual([b2!.id]);
  });
});
