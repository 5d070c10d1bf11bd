import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { getIpPool } from "@/lib/network/get-ip-pool";
import { getQuarantine } from "@/lib/network/get-quarantine";
import { lookUpAddress } from "@/lib/network/look-up-address";
import { releaseVmAddresses } from "@/lib/network/release-vm-addresses";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { addPool, allocate, makeNetworkWorld, makeVm, type NetworkWorld } from "@/tests/helpers/network-fixtures";

// What the Networks page and the admin API read: the lookup an abuse desk asks for (holders at an
// instant and the whole history, the instant parsed as the API receives it), one pool's use, and
// the quarantine; all of it 404 to anyone but a platform admin.

describe.each(DB_KINDS)("address lookup and pool reads for admins (%s)", (kind) => {
  let db: Database;
  let world: NetworkWorld;
  let poolId: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    world = await makeNetworkWorld(db.prisma);
    poolId = (
      await addPool(db.prisma, world, { name: "v4", family: "IPV4", kind: "routed", hostName: "routed-a", cidr: "203.0.113.128/26" })
    ).id;
    const first = await makeVm(db.prisma, world, world.hosts.routed, "abuser");
    const second = await makeVm(db.prisma, world, world.hosts.routed, "next-tenant");
    await allocate(db.prisma, { vm: first, host: world.hosts.routed, now: new Date("2026-12-01T14:00:00Z") });
    await releaseVmAddresses({ prisma: db.prisma, vmId: first.id, quarantine: false, now: new Date("2026-12-01T16:00:00Z") });
    await allocate(db.prisma, { vm: second, host: world.hosts.routed, now: new Date("2026-12-03T09:00:00Z") });
  });
  afterAll(async () => db?.close());

  it("answers who held an address at a time (no zone: UTC) with its whole history", async () => {
    const r = await lookUpAddress({
      prisma: db.prisma,
      principal: world.admin,
      input: { address: " 203.0.113.129 ", at: "2026-12-01T14:03" },
    });
    expect(r.at.toISOString()).toBe("2026-12-01T14:03:00.000Z");
    expect(r.holders.map((h) => [h.vm.name, h.team.slug, h.assignedAt.toISOString(), h.releasedAt?.toISOString()])).toEqual([
      ["abuser", world.team.slug, "2026-12-01T14:00:00.000Z", "2026-12-01T16:00:00.000Z"],
    ]);
    expect(r.history.map((h) => [h.vm.name, h.releasedAt === null])).toEqual([
      ["abuser", false],
      ["next-tenant", true],
    ]);
    const now = await lookUpAddress({ prisma: db.prisma, principal: world.admin, input: { address: "203.0.113.129" } });
    expect(now.holders.map((h) => h.vm.name)).toEqual(["next-tenant"]);
  });

  it("refuses a bad time or address naming the field, and answers non-admins 404", async () => {
    const bad = await lookUpAddress({
      prisma: db.prisma,
      principal: world.admin,
      input: { address: "203.0.113.129", at: "last tuesday" },
    }).catch((e: AppError) => e);
    expect(bad).toMatchObject({ code: "VALIDATION", details: [{ path: "at" }] });
    const notIp = await lookUpAddress({ prisma: db.prisma, principal: world.admin, input: { address: "example.org" } }).catch(
      (e: AppError) => e,
    );
    expect(notIp).toMatchObject({ code: "VALIDATION", details: [{ path: "address", message: "not an IP address" }] });
    for (const read of [
      () => lookUpAddress({ prisma: db.prisma, principal: world.tenant, input: { address: "203.0.113.129" } }),
      () => getIpPool({ prisma: db.prisma, principal: world.tenant, id: poolId }),
      () => getQuarantine({ prisma: db.prisma, principal: world.tenant }),
    ])
      expect(await read().catch((e: AppError) => e.status)).toBe(404);
  });

  it("reads one pool with its use, and 404 for an id that is no pool", async () => {
    const pool = await getIpPool({ prisma: db.prisma, principal: world.admin, id: poolId });
    expect([pool.name, pool.host?.name, pool.use]).toEqual(["v4", "routed-a", { held: 1, quarantined: 0, free: "61", capacity: "62" }]);
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
      expect(await getIpPool({ prisma: db.prisma, principal: world.admin, id }).catch((e: AppError) => e.status)).toBe(404);
    expect(await getQuarantine({ prisma: db.prisma, principal: world.admin })).toEqual({
      quarantineSeconds: 86_400,
      maxSeconds: 7_776_000,
    });
  });
});
