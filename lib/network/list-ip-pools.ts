import { requireAdmin } from "../access/team-access";
import type { Principal } from "../access/principal";
import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { POOL_VIEW_INCLUDE, shapeOfRow, viewIpPool, type IpPoolView } from "./pool-record";
import { readPoolUse, type PoolUse } from "./pool-use";

export interface RegionPools {
  code: string;
  name: string;
  pools: (IpPoolView & { use: PoolUse })[];
}

/** Admin: every region (or one) with its pools and how much of each is held, resting and free. */
export async function listIpPools(opts: {
  prisma: PrismaClient;
  principal: Principal;
  regionCode?: string;
  now?: Date;
}): Promise<{ regions: RegionPools[] }> {
  requireAdmin(opts.principal);
  const { prisma } = opts;
  const regions = await prisma.region.findMany({
    where: opts.regionCode ? { code: opts.regionCode } : {},
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true },
  });
  if (opts.regionCode && regions.length === 0) throw new AppError("NOT_FOUND", `There is no region ${opts.regionCode}`);
  const pools = await prisma.ipPool.findMany({
    where: { regionId: { in: regions.map((r) => r.id) } },
    include: POOL_VIEW_INCLUDE,
    orderBy: [{ family: "asc" }, { name: "asc" }],
  });
  const use = await readPoolUse({ db: prisma, pools: pools.map((p) => ({ id: p.id, ...shapeOfRow(p) })), now: opts.now ?? new Date() });
  return {
    regions: regions.map((r) => ({
      code: r.code,
      name: r.name,
      pools: pools.filter((p) => p.regionId === r.id).map((p) => ({ ...viewIpPool(p), use: use.get(p.id)! })),
    })),
  };
}
