import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { PrismaClient } from "../generated/prisma/client";
import type { Jurisdiction } from "../generated/prisma/enums";

interface TargetRow {
  id: string;
  name: string;
  active: boolean;
  createdAt: Date;
  region: { code: string; name: string; country: string; jurisdiction: Jurisdiction };
  pool: { name: string; path: string; host: { name: string } };
}

export function backupTargetView(t: TargetRow) {
  return {
    id: t.id,
    name: t.name,
    host: t.pool.host.name,
    pool: t.pool.name,
    path: t.pool.path,
    region: t.region.code,
    regionName: t.region.name,
    country: t.region.country,
    jurisdiction: t.region.jurisdiction,
    active: t.active,
    createdAt: t.createdAt.toISOString(),
  };
}
export type BackupTargetView = ReturnType<typeof backupTargetView>;

/** Admin: every backup target with where it is (host, pool, region, country, jurisdiction). */
export async function listBackupTargets({ prisma, principal }: { prisma: PrismaClient; principal: Principal }) {
  requireAdmin(principal);
  const rows = await prisma.backupTarget.findMany({
    include: { region: true, pool: { include: { host: true } } },
    orderBy: { name: "asc" },
    take: 500,
  });
  return rows.map(backupTargetView);
}
