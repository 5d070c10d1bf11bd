import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { CreateBackupTargetInput } from "./schemas";
import { backupTargetView } from "./list-backup-targets";

/**
 * Admin: a registered host's storage pool becomes a backup target. Skjold reaches it with the host's
 * own pinned SSH identity; its region, and so its country and jurisdiction, is the host's (a
 * target cannot claim another country than the disks it writes to). Audited.
 */
export async function createBackupTarget(opts: { prisma: PrismaClient; principal: Principal; input: unknown; meta?: RequestMeta }) {
  requireAdmin(opts.principal);
  const parsed = CreateBackupTargetInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Backup target");
  const input = parsed.data;
  const host = await opts.prisma.host.findUnique({ where: { name: input.host }, include: { pools: true } });
  if (!host)
    throw new AppError("VALIDATION", `Backup target: no host ${input.host}`, {
      key: "error.backupTarget.noHost",
      params: { host: input.host },
      details: { field: "host" },
    });
  const pool = host.pools.find((p) => p.name === input.pool);
  if (!pool)
    throw new AppError("VALIDATION", `Backup target: host ${host.name} has no storage pool ${input.pool}`, {
      key: "error.backupTarget.noPool",
      params: { host: host.name, pool: input.pool },
      details: { field: "pool" },
    });
  if (await opts.prisma.backupTarget.findUnique({ where: { name: input.name } }))
    throw new AppError("CONFLICT", `A backup target named ${input.name} already exists`, {
      key: "error.backupTarget.nameTaken",
      params: { name: input.name },
    });
  return opts.prisma.$transaction(async (tx) => {
    const target = await tx.backupTarget.create({
      data: { name: input.name, poolId: pool.id, regionId: host.regionId },
      include: { region: true, pool: { include: { host: true } } },
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "backup-target.create",
      targetType: "backup-target",
      targetId: target.id,
      details: { name: target.name, host: host.name, pool: pool.name, region: target.region.code },
      meta: opts.meta,
    });
    return backupTargetView(target);
  });
}
