import type { Prisma } from "../generated/prisma/client";
import { shapeOfRow } from "./pool-record";
import { readPoolUse } from "./pool-use";
import { poolServes, servingPoolsWhere, type AddressHost } from "./serving-pools";

/** free: a unit is free now; full: every serving pool is; no-pool: none serves the host; not-needed: lab user-mode host. */
type AddressRoom = "free" | "full" | "no-pool" | "not-needed";

export interface HostAddressRoom {
  hostId: string;
  /** whether a VM placed here now would get its addresses */
  ok: boolean;
  ipv4: AddressRoom;
  ipv6: AddressRoom;
  /** why not, in words for a placement verdict; null when ok */
  reason: string | null;
}

/**
 * Whether each host can give one more VM its addresses right now, for placement: two queries for any
 * number of hosts (their pools, then the pools' use). Advisory: allocation decides under its locks.
 */
export async function hostAddressRoom(opts: {
  tx: Prisma.TransactionClient;
  hosts: readonly Omit<AddressHost, "name">[];
  now?: Date;
}): Promise<HostAddressRoom[]> {
  const wheres = opts.hosts.map((h) => servingPoolsWhere(h)).filter((w): w is Prisma.IpPoolWhereInput => w !== null);
  const pools = wheres.length ? await opts.tx.ipPool.findMany({ where: { OR: wheres } }) : [];
  const use = await readPoolUse({ db: opts.tx, pools: pools.map((p) => ({ id: p.id, ...shapeOfRow(p) })), now: opts.now ?? new Date() });
  return opts.hosts.map((h) => {
    if (!servingPoolsWhere(h)) return { hostId: h.id, ok: true, ipv4: "not-needed", ipv6: "not-needed", reason: null };
    const serving = pools.filter((p) => poolServes(p, h));
    const roomOf = (family: "IPV4" | "IPV6"): AddressRoom => {
      const mine = serving.filter((p) => p.family === family);
      if (mine.length === 0) return "no-pool";
      return mine.some((p) => use.get(p.id)!.free !== "0") ? "free" : "full";
    };
    const ipv4 = roomOf("IPV4");
    const ipv6 = roomOf("IPV6");
    const reason =
      ipv4 === "no-pool"
        ? "no IPv4 pool serves it"
        : ipv4 === "full"
          ? "its IPv4 pools are full"
          : ipv6 === "full"
            ? "its IPv6 pools are full"
            : null;
    return { hostId: h.id, ok: reason === null, ipv4, ipv6, reason };
  });
}
