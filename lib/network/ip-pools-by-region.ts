import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { readAllPages } from "../core/pagination";
import type { PrismaClient } from "../generated/prisma/client";
import { type IpPoolWithUse, listIpPools } from "./list-ip-pools";

export interface RegionPools {
  code: string;
  name: string;
  pools: IpPoolWithUse[];
}

/** Admin (the Networks page): every region by code, with its pools, IPv4 before IPv6, then by name. */
export async function ipPoolsByRegion(opts: {
  prisma: PrismaClient;
  principal: Principal;
  now?: Date;
}): Promise<{ regions: RegionPools[] }> {
  requireAdmin(opts.principal);
  const regions = await opts.prisma.region.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } });
  const pools = await readAllPages((page) => listIpPools({ ...opts, page }));
  pools.sort((a, b) => a.family.localeCompare(b.family));
  return { regions: regions.map((r) => ({ ...r, pools: pools.filter((p) => p.regionCode === r.code) })) };
}
