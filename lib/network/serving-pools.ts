import type { Prisma } from "../generated/prisma/client";
import type { NetworkMode } from "../generated/prisma/enums";

// Which pools give a host's guests their addresses: a routed host's own pools (the provider routes
// them to it), or a bridged host's region's segment pools. A lab host on user-mode networking has none.

export interface AddressHost {
  id: string;
  name: string;
  networkMode: NetworkMode;
  regionId: string;
}

export function servingPoolsWhere(host: Omit<AddressHost, "name">): Prisma.IpPoolWhereInput | null {
  if (host.networkMode === "ROUTED") return { hostId: host.id };
  if (host.networkMode === "BRIDGED") return { regionId: host.regionId, hostId: null };
  return null;
}

/** The same rule as servingPoolsWhere, for pools already read. */
export function poolServes(pool: { hostId: string | null; regionId: string }, host: Omit<AddressHost, "name">): boolean {
  if (host.networkMode === "ROUTED") return pool.hostId === host.id;
  return host.networkMode === "BRIDGED" && pool.hostId === null && pool.regionId === host.regionId;
}

/**
 * Locks the pools that serve the host, in id order (two allocations never wait for each other in
 * opposite orders), and returns their ids; null for a host that gives its guests no public address.
 */
export async function lockServingPools(tx: Prisma.TransactionClient, host: AddressHost): Promise<string[] | null> {
  let rows: { id: string }[];
  if (host.networkMode === "ROUTED") {
    rows = await tx.$queryRaw`SELECT id::text AS id FROM "IpPool" WHERE "hostId" = ${host.id}::uuid ORDER BY id FOR UPDATE`;
  } else if (host.networkMode === "BRIDGED") {
    rows =
      await tx.$queryRaw`SELECT id::text AS id FROM "IpPool" WHERE "regionId" = ${host.regionId}::uuid AND "hostId" IS NULL ORDER BY id FOR UPDATE`;
  } else {
    return null;
  }
  return rows.map((r) => r.id);
}
