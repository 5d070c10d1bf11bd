import type { PrismaClient } from "../../generated/prisma/client";
import { closeDataLocations, recordDataLocation } from "../../residency";

// A backup in the residency ledger: one BACKUP entry, opened before the first byte lands on the
// target (target host, pool, region, country, jurisdiction, from) and closed when the file is
// deleted, or when a failed copy is removed. The report as of any date lists the copies that
// existed then. Opening checks the ledger first, so a step that runs again does not record twice.

export async function openBackupLocation(opts: {
  prisma: PrismaClient;
  backup: { id: string; teamId: string; kind: string };
  vmName: string;
  target: { name: string; region: { code: string }; pool: { name: string; host: { name: string } } };
  path: string;
  at?: Date;
}): Promise<void> {
  const { prisma, backup, target } = opts;
  const last = await prisma.dataLocation.findFirst({
    where: { resourceId: backup.id, resourceKind: "BACKUP" },
    orderBy: { seq: "desc" },
    select: { action: true },
  });
  if (last?.action === "OPEN") return;
  await recordDataLocation({
    prisma,
    teamId: backup.teamId,
    resourceKind: "BACKUP",
    resourceId: backup.id,
    resourceName: `${opts.vmName} backup (${backup.kind.toLowerCase()}) on ${target.name}`,
    regionCode: target.region.code,
    hostName: target.pool.host.name,
    poolName: target.pool.name,
    path: opts.path,
    effectiveAt: opts.at,
    actor: "skjold backups",
  });
}

export async function closeBackupLocation(opts: { prisma: PrismaClient; backupId: string; at?: Date }): Promise<void> {
  await closeDataLocations({
    prisma: opts.prisma,
    resourceId: opts.backupId,
    resourceKinds: ["BACKUP"],
    at: opts.at,
    actor: "skjold backups",
  });
}
