import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { listIpPools } from "@/lib/network/list-ip-pools";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeVms } from "@/tests/helpers/factories";
import { addPool, allocate, makeNetworkWorld, type NetworkWorld } from "@/tests/helpers/network-fixtures";

// 200 allocations at once on one host's pools, half through each of two connection pools (on
// PostgreSQL two Prisma clients, as two portal processes have; PGlite is one process, one client).
// Every VM must get its own IPv4 address and its own IPv6 /64, and the pools' use must add up.

const VMS = 200;

describe.each(DB_KINDS)("200 concurrent allocations (%s)", (kind) => {
  let db: Database & { url?: string };
  let second: Database | undefined;
  let world: NetworkWorld;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    if (db.url) second = await openDatabase({ kind: "postgres", url: db.url, poolSize: 5 });
    world = await makeNetworkWorld(db.prisma);
    await addPool(db.prisma, world, { name: "big-v4", family: "IPV4", kind: "routed", hostName: "routed-a", cidr: "198.51.100.0/24" });
    await addPool(db.prisma, world, { name: "big-v6", family: "IPV6", kind: "routed", hostName: "routed-a", cidr: "2001:db8:1300::/56" });
  });
  afterAll(async () => {
    await second?.close();
    await db?.close();
  });

  it("hands out 200 distinct units, none twice, and the use adds up to 200", async () => {
    const host = world.hosts.routed;
    const vms = await makeVms(db.prisma, { teamId: world.team.id, regionId: host.regionId, hostId: host.id, count: VMS, prefix: "burst" });
    const clients: PrismaClient[] = [db.prisma, second?.prisma ?? db.prisma];
    const results = await Promise.all(
      vms.map((vm, i) =>
        allocate(clients[i % 2]!, { vm: { id: vm.id, name: vm.name, teamId: world.team.id, teamSlug: world.team.slug }, host }),
      ),
    );
    const v4 = results.map((r) => r.ipv4);
    const v6 = results.map((r) => r.ipv6Prefix);
    expect(new Set(v4).size).toBe(VMS);
    expect(new Set(v6).size).toBe(VMS);
    // Lowest first: together they are exactly the first 200 units.
    expect([...v4].sort((a, b) => Number(a!.split(".")[3]) - Number(b!.split(".")[3]))).toEqual(
      Array.from({ length: VMS }, (_, i) => `198.51.100.${i + 1}`),
    );

    const leases = await db.prisma.ipLease.groupBy({
      by: ["poolId", "address"],
      _count: { _all: true },
      having: { address: { _count: { gt: 1 } } },
    });
    expect(leases).toEqual([]);
    expect(await db.prisma.addressEvent.count({ where: { action: "ASSIGN" } })).toBe(2 * VMS);
    const { items } = await listIpPools({ prisma: db.prisma, principal: world.admin, regionCode: "osl1", page: { limit: 50 } });
    expect(items.map((p) => [p.name, p.use])).toEqual([
      ["big-v4", { held: VMS, quarantined: 0, free: "54", capacity: "254" }],
      ["big-v6", { held: VMS, quarantined: 0, free: "55", capacity: "255" }],
    ]);
  });
});
