import type { Prisma, PrismaClient } from "../generated/prisma/client";

// A routed host owns the pools the provider routes to it: the prefixes are the host's, so the host
// cannot go, nor stop routing, while they are defined. Its pools are deleted first (which waits until
// no VM holds an address and the quarantine has ended).

/** The routed pools a host owns as "name (cidr)" (the first 5), and how many there are. */
export async function describeOwnedPools(
  db: PrismaClient | Prisma.TransactionClient,
  hostId: string,
): Promise<{ count: number; text: string }> {
  const count = await db.ipPool.count({ where: { hostId } });
  if (count === 0) return { count, text: "" };
  const pools = await db.ipPool.findMany({ where: { hostId }, select: { name: true, cidr: true }, orderBy: { name: "asc" }, take: 5 });
  const names = pools.map((p) => `${p.name} (${p.cidr})`).join(", ");
  return { count, text: `${count} routed address pool${count === 1 ? "" : "s"}: ${names}${count > pools.length ? ", …" : ""}` };
}
