import { AppError } from "../core/errors";
import type { IpLease, IpPool, Prisma } from "../generated/prisma/client";
import { guestAddressOf, pickFreeUnit, unitPrefixLen } from "./ipam";
import { familyOf, kindOf, shapeOfRow } from "./pool-record";
import { MAX_DNS_RESOLVERS } from "./pool-rules";
import { lockServingPools, type AddressHost } from "./serving-pools";

interface GuestAddress {
  address: string;
  prefixLen: number;
  /** a segment's router; null on a routed host (the host is the guest's on-link gateway) */
  gateway: string | null;
}

export interface VmAddresses {
  ipv4: string | null;
  ipv6Address: string | null;
  /** the /64 routed to the guest's tap (routed hosts only) */
  ipv6Prefix: string | null;
  /** what the guest configures on its NIC */
  guest: { ipv4: GuestAddress | null; ipv6: GuestAddress | null; dns: string[] };
}

export const NO_PUBLIC_ADDRESSES: VmAddresses = {
  ipv4: null,
  ipv6Address: null,
  ipv6Prefix: null,
  guest: { ipv4: null, ipv6: null, dns: [] },
};

type Unit = { pool: IpPool; address: string };

/**
 * Gives a VM its public addresses on a host, inside the caller's transaction: an IPv4 address always
 * (NO_CAPACITY when none is free), and an IPv6 /64 or address when an IPv6 pool serves the host.
 * The serving pools are locked, so concurrent allocations (any number of portals and workers) take
 * distinct units; each unit goes to the lowest free one, never to one resting in quarantine. A VM
 * that already holds units of these pools gets them back unchanged. Units it holds elsewhere (an
 * earlier host) are not touched: release them first.
 */
export async function allocateVmAddresses(opts: {
  tx: Prisma.TransactionClient;
  vm: { id: string; name: string; teamId: string; teamSlug: string };
  host: AddressHost;
  regionCode: string;
  now?: Date;
}): Promise<VmAddresses> {
  const { tx, host } = opts;
  const now = opts.now ?? new Date();
  const poolIds = await lockServingPools(tx, host);
  if (poolIds === null) return NO_PUBLIC_ADDRESSES;
  const pools = await tx.ipPool.findMany({ where: { id: { in: poolIds } }, orderBy: [{ createdAt: "asc" }, { name: "asc" }] });
  const leases = await tx.ipLease.findMany({
    where: { poolId: { in: poolIds }, OR: [{ vmId: { not: null } }, { quarantineUntil: { gt: now } }] },
  });

  const unitOf = async (family: IpPool["family"]): Promise<Unit | null> => {
    const candidates = pools.filter((p) => p.family === family);
    const held = leases.find((l) => l.vmId === opts.vm.id && candidates.some((p) => p.id === l.poolId));
    if (held) return { pool: candidates.find((p) => p.id === held.poolId)!, address: held.address };
    for (const pool of candidates) {
      const address = pickFreeUnit(shapeOfRow(pool), new Set(leases.filter((l) => l.poolId === pool.id).map((l) => l.address)));
      if (address) return assign({ ...opts, now, pool, address });
    }
    if (candidates.length === 0 && family === "IPV6") return null;
    const region = await tx.region.findUnique({ where: { id: host.regionId }, select: { name: true } });
    const what = family === "IPV4" ? "IPv4 address" : "IPv6 prefix";
    const why =
      candidates.length === 0
        ? "no IPv4 pool serves it"
        : `${candidates.map((p) => p.name).join(", ")} ${candidates.length === 1 ? "is" : "are"} full`;
    throw new AppError(
      "NO_CAPACITY",
      `No free public ${what} for ${host.name} in ${region?.name ?? opts.regionCode} (${opts.regionCode}): ${why}.`,
      {
        details: { region: opts.regionCode, host: host.name, family },
        key:
          candidates.length === 0
            ? "error.address.noPool"
            : `error.address.full${family === "IPV4" ? "V4" : "V6"}${candidates.length === 1 ? "One" : "Many"}`,
        params: {
          host: host.name,
          region: region?.name ?? opts.regionCode,
          regionCode: opts.regionCode,
          pools: candidates.map((p) => p.name).join(", "),
        },
      },
    );
  };
  const v4 = await unitOf("IPV4");
  const v6 = await unitOf("IPV6");
  return describe(v4!, v6);
}

async function assign(opts: {
  tx: Prisma.TransactionClient;
  vm: { id: string; name: string; teamId: string; teamSlug: string };
  host: AddressHost;
  regionCode: string;
  now: Date;
  pool: IpPool;
  address: string;
}): Promise<Unit> {
  const { tx, vm, pool, address, now } = opts;
  const lease: Partial<IpLease> = { vmId: vm.id, assignedAt: now, releasedAt: null, quarantineUntil: null };
  await tx.ipLease.upsert({
    where: { poolId_address: { poolId: pool.id, address } },
    create: { poolId: pool.id, address, ...lease },
    update: lease,
  });
  await tx.addressEvent.create({
    data: {
      at: now,
      action: "ASSIGN",
      poolId: pool.id,
      family: pool.family,
      address,
      prefixLen: unitPrefixLen({ family: familyOf(pool.family), kind: kindOf(pool) }),
      vmId: vm.id,
      vmName: vm.name,
      teamId: vm.teamId,
      teamSlug: vm.teamSlug,
      regionCode: opts.regionCode,
      hostName: opts.host.name,
    },
  });
  return { pool, address };
}

function describe(v4: Unit, v6: Unit | null): VmAddresses {
  const guestOf = (u: Unit) => {
    const g = guestAddressOf(shapeOfRow(u.pool), u.address);
    return {
      guest: { address: g.address, prefixLen: g.interfacePrefixLen, gateway: kindOf(u.pool) === "routed" ? null : u.pool.gateway },
      routedPrefix: g.routedPrefix,
    };
  };
  const a4 = guestOf(v4);
  const a6 = v6 ? guestOf(v6) : null;
  const dns = [...new Set([...v4.pool.dns, ...(v6?.pool.dns ?? [])])].slice(0, MAX_DNS_RESOLVERS);
  return {
    ipv4: v4.address,
    ipv6Address: a6?.guest.address ?? null,
    ipv6Prefix: a6?.routedPrefix ?? null,
    guest: { ipv4: a4.guest, ipv6: a6?.guest ?? null, dns },
  };
}
