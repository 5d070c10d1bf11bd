import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { lockPool, poolNotFound } from "./pool-record";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * Admin: deletes a pool none of whose addresses is held or resting in quarantine. Its lease rows go
 * with it; who had which address stays in the address history, which does not depend on the pool.
 */
export async function deleteIpPool(opts: {
  prisma: PrismaClient;
  principal: Principal;
  id: string;
  meta?: RequestMeta;
  now?: Date;
}): Promise<{ deleted: string }> {
  requireAdmin(opts.principal);
  const now = opts.now ?? new Date();
  return opts.prisma.$transaction(async (tx) => {
    if (!(await lockPool(tx, opts.id))) throw poolNotFound();
    const pool = await tx.ipPool.findUniqueOrThrow({ where: { id: opts.id }, include: { region: { select: { code: true } } } });
    const heldWhere = { poolId: pool.id, vmId: { not: null } };
    const restingWhere = { poolId: pool.id, vmId: null, quarantineUntil: { gt: now } };
    // One after the other: a transaction is one connection (pg deprecates overlapping queries on it).
    const held = await tx.ipLease.count({ where: heldWhere });
    const holders = await tx.ipLease.findMany({
      where: heldWhere,
      select: { address: true, vm: { select: { name: true } } },
      orderBy: { assignedAt: "asc" },
      take: 3,
    });
    const resting = await tx.ipLease.count({ where: restingWhere });
    const lastRest = await tx.ipLease.aggregate({ where: restingWhere, _max: { quarantineUntil: true } });
    if (held > 0 || resting > 0) {
      const reasons: string[] = [];
      if (held > 0)
        reasons.push(
          `${plural(held, "address is", "addresses are")} held by VMs (${holders.map((h) => `${h.address} by ${h.vm?.name ?? "?"}`).join(", ")}${held > holders.length ? ", …" : ""})`,
        );
      if (resting > 0)
        reasons.push(`${plural(resting, "address is", "addresses are")} in quarantine until ${utc(lastRest._max.quarantineUntil!)}`);
      throw new AppError(
        "CONFLICT",
        `Pool ${pool.name} (${pool.cidr}) cannot be deleted: ${reasons.join(" and ")}. Delete those VMs first, and wait for the quarantine to end.`,
        {
          details: { held, quarantined: resting },
        },
      );
    }
    await tx.ipLease.deleteMany({ where: { poolId: pool.id } });
    await tx.ipPool.delete({ where: { id: pool.id } });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "ip-pool.delete",
      targetType: "ip-pool",
      targetId: pool.id,
      details: { name: pool.name, region: pool.region.code, cidr: pool.cidr },
      meta: opts.meta,
    });
    return { deleted: pool.name };
  });
}
