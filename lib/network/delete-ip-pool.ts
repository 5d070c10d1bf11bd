import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { AppError } from "../core/errors";
import { errorMessage, listText, nestedText, type NestedError } from "../core/error-text";
import type { PrismaClient } from "../generated/prisma/client";
import { lockPool, poolNotFound } from "./pool-record";

const utc = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

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
      const reasons: NestedError[] = [];
      if (held > 0) {
        const who = holders.map((h) => nestedText("error.pool.holder", { address: h.address, vm: h.vm?.name ?? "?" }));
        const list = listText(who, held > holders.length);
        reasons.push(
          held === 1 ? nestedText("error.pool.heldOne", { holders: list }) : nestedText("error.pool.held", { count: held, holders: list }),
        );
      }
      if (resting > 0) {
        const until = utc(lastRest._max.quarantineUntil!);
        reasons.push(
          resting === 1 ? nestedText("error.pool.restingOne", { until }) : nestedText("error.pool.resting", { count: resting, until }),
        );
      }
      const params = {
        name: pool.name,
        cidr: pool.cidr,
        reasons: reasons.length === 2 ? nestedText("error.list.and", { first: reasons[0]!, second: reasons[1]! }) : reasons[0]!,
      };
      throw new AppError("CONFLICT", errorMessage("error.pool.inUse", params), {
        key: "error.pool.inUse",
        params,
        details: { held, quarantined: resting },
      });
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
