import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { PrismaClient } from "../generated/prisma/client";
import { POOL_VIEW_INCLUDE, poolNotFound, shapeOfRow, viewIpPool, type IpPoolView } from "./pool-record";
import { readPoolUse, type PoolUse } from "./pool-use";

/** Admin: one pool with its use (held, resting in quarantine, free). */
export async function getIpPool(opts: {
  prisma: PrismaClient;
  principal: Principal;
  id: string;
  now?: Date;
}): Promise<IpPoolView & { use: PoolUse }> {
  requireAdmin(opts.principal);
  const pool = /^[0-9a-f-]{36}$/i.test(opts.id)
    ? await opts.prisma.ipPool.findUnique({ where: { id: opts.id }, include: POOL_VIEW_INCLUDE })
    : null;
  if (!pool) throw poolNotFound();
  const use = await readPoolUse({ db: opts.prisma, pools: [{ id: pool.id, ...shapeOfRow(pool) }], now: opts.now ?? new Date() });
  return { ...viewIpPool(pool), use: use.get(pool.id)! };
}
