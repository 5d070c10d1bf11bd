import { requireAdmin } from "../access/team-access";
import type { Principal } from "../access/principal";
import { AppError } from "../core/errors";
import { findPage, listOrder, type Page, type PageRequest } from "../core/pagination";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { POOL_VIEW_INCLUDE, shapeOfRow, viewIpPool, type IpPoolView } from "./pool-record";
import { readPoolUse, type PoolUse } from "./pool-use";

export type IpPoolWithUse = IpPoolView & { use: PoolUse };

const POOL_ORDER = listOrder<Prisma.IpPoolWhereInput, Prisma.IpPoolOrderByWithRelationInput>("ip-pools", [
  { field: "name", dir: "asc", kind: "text" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** Admin: a page of the pools (of one region, or all) by name, each with how much is held, resting and free. */
export async function listIpPools(opts: {
  prisma: PrismaClient;
  principal: Principal;
  regionCode?: string;
  page: PageRequest;
  now?: Date;
}): Promise<Page<IpPoolWithUse>> {
  requireAdmin(opts.principal);
  const { prisma, regionCode } = opts;
  if (regionCode && !(await prisma.region.findUnique({ where: { code: regionCode }, select: { id: true } })))
    throw new AppError("NOT_FOUND", `There is no region ${regionCode}`, { key: "error.region.missing", params: { regionCode } });
  const page = await findPage({
    order: POOL_ORDER,
    page: opts.page,
    where: regionCode ? { region: { code: regionCode } } : {},
    find: (query) => prisma.ipPool.findMany({ ...query, include: POOL_VIEW_INCLUDE }),
  });
  const use = await readPoolUse({
    db: prisma,
    pools: page.items.map((p) => ({ id: p.id, ...shapeOfRow(p) })),
    now: opts.now ?? new Date(),
  });
  return { items: page.items.map((p) => ({ ...viewIpPool(p), use: use.get(p.id)! })), nextCursor: page.nextCursor };
}
