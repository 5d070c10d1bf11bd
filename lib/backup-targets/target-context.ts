import type { PrismaClient } from "../generated/prisma/client";
import { hostContext, sharedSshPool } from "../hosts/host-target";
import type { HostContext } from "../libvirt/virsh";

/** A target with its pool, host and region, as the backup jobs read it. */
export function loadBackupTarget(prisma: PrismaClient, id: string) {
  return prisma.backupTarget.findUniqueOrThrow({ where: { id }, include: { region: true, pool: { include: { host: true } } } });
}
export type LoadedBackupTarget = Awaited<ReturnType<typeof loadBackupTarget>>;

/** The target's host over pooled SSH with its pinned key (refused while the key is unconfirmed or changed). */
export function backupTargetContext(target: LoadedBackupTarget, prisma: PrismaClient): HostContext {
  return hostContext(target.pool.host, sharedSshPool(), { prisma });
}
