import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { deleteIpPool } from "@/lib/network/delete-ip-pool";
import { findAddressHolder } from "@/lib/network/find-address-holder";
import { listAddressHistory } from "@/lib/network/list-address-history";
import { releaseVmAddresses } from "@/lib/network/release-vm-addresses";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { addPool, allocate, makeNetworkWorld, makeVm, type NetworkWorld } from "@/tests/helpers/network-fixtures";

// "Which VM (and team) had 203.0.113.7 at 14:03 last Tuesday?" answered from the append-only address
// history, also once the VM and the pool are gone.

const ASSIGNED = new Date("2026-12-01T14:00:00Z");
const RELEASED = new Date("2026-12-01T16:00:00Z");
const NEXT = new Date("2026-12-03T09:00:00Z");

describe.each(DB_KINDS)("address history (%s)", (kind) => {
  let db: Database;
  let world: NetworkWorld;
  let first: Awaited<ReturnType<typeof makeVm>>;
  let second: Awaited<ReturnType<typeof makeVm>>;
  let poolIds: string[];
  const holderAt = async (address: string, at: Date) =>
    (await findAddressHolder({ prisma: db.prisma, address, at })).holders.map((h) => h.vm.name);

  beforeAll(async () => {
    db = await freshDatabase(kind);
    world = await makeNetworkWorld(db.prisma);
    poolIds = [
      (await addPool(db.prisma, world, { name: "v4", family: "IPV4", kind: "routed", hostName: "routed-a", cidr: "203.0.113.128/26" })).id,
      (await addPool(db.prisma, world, { name: "v6", family: "IPV6", kind: "routed", hostName: "routed-a", cidr: "2001:db8:1100::/56" }))
        .id,
      (
        await addPool(db.prisma, world, {
          name: "seg6",
          family: "IPV6",
          kind: "segment",
          cidr: "2001:db8:0:1::/64",
          gateway: "2001:db8:0:1::1",
        })
      ).id,
    ];
    await addPool(db.prisma, world, { name: "seg4", family: "IPV4", kind: "segment", cidr: "203.0.113.192/27", gateway: "203.0.113.193" });
    first = await makeVm(db.prisma, world, world.hosts.routed, "abuser");
    second = await makeVm(db.prisma, world, world.hosts.routed, "next-tenant");
    await allocate(db.prisma, { vm: first, host: world.hosts.routed, now: ASSIGNED });
    await releaseVmAddresses({ prisma: db.prisma, vmId: first.id, quarantine: false, now: RELEASED });
    await allocate(db.prisma, { vm: second, host: world.hosts.routed, now: NEXT });
  });
  afterAll(async () => db?.close());

  it("names the holder within an assignment, and nobody before it or between holders", async () => {
    expect(await holderAt("203.0.113.129", new Date("2026-12-01T13:59:59Z"))).toEqual([]);
    expect(await holderAt("203.0.113.129", new Date("2026-12-01T14:03:00Z"))).toEqual(["abuser"]);
    expect(await holderAt("203.0.113.129", RELEASED)).toEqual([]);
    expect(await holderAt("203.0.113.129", new Date("2026-12-02T00:00:00Z"))).toEqual([]);
    expect(await holderAt("203.0.113.129", new Date("2027-01-01T00:00:00Z"))).toEqual(["next-tenant"]);
    expect(await holderAt("203.0.113.130", new Date("2026-12-01T14:03:00Z"))).toEqual([]);
    const answer = await findAddressHolder({ prisma: db.prisma, address: "203.0.113.129", at: new Date("2026-12-01T14:03:00Z") });
    expect(answer.holders[0]).toMatchObject({
      vm: { id: first.id, name: "abuser" },
      team: { id: world.team.id, slug: world.team.slug },
      regionCode: "osl1",
      hostName: "routed-a",
      assignedAt: ASSIGNED,
      releasedAt: RELEASED,
    });
  });

  it("answers for any address inside a routed IPv6 /64, and for the exact address on a segment", async () => {
    expect(await holderAt("2001:db8:1100:1::1", new Date("2026-12-01T14:03:00Z"))).toEqual(["abuser"]);
    expect(await holderAt("2001:DB8:1100:1:DEAD:BEEF:0:7", new Date("2026-12-01T14:03:00Z"))).toEqual(["abuser"]);
    expect(await holderAt("2001:db8:1100:2::1", new Date("2026-12-01T14:03:00Z"))).toEqual([]);
    const bridged = await makeVm(db.prisma, world, world.hosts.bridged, "on-segment");
    const got = await allocate(db.prisma, { vm: bridged, host: world.hosts.bridged, now: ASSIGNED });
    expect(await holderAt(got.ipv6Address!, new Date("2026-12-01T14:03:00Z"))).toEqual(["on-segment"]);
    const neighbour = got.ipv6Address!.replace(/2$/, "3");
    expect(neighbour).not.toBe(got.ipv6Address);
    expect(await holderAt(neighbour, new Date("2026-12-01T14:03:00Z"))).toEqual([]);
    await expect(findAddressHolder({ prisma: db.prisma, address: "203.0.113.7/32", at: NEXT })).rejects.toMatchObject({
      code: "VALIDATION",
      message: "Address: 203.0.113.7/32 is not an IPv4 or IPv6 address",
    });
  });

  it("still answers after the VMs and the pools are gone", async () => {
    const holding = await db.prisma.ipLease.findMany({ where: { vmId: { not: null } }, distinct: ["vmId"], select: { vmId: true } });
    for (const { vmId } of holding)
      await releaseVmAddresses({ prisma: db.prisma, vmId: vmId!, quarantine: true, now: new Date("2027-02-01T00:00:00Z") });
    await db.prisma.virtualMachine.deleteMany({ where: { id: { in: [first.id, second.id] } } });
    for (const id of poolIds) await deleteIpPool({ prisma: db.prisma, principal: world.admin, id, now: new Date("2027-03-01T00:00:00Z") });
    expect(await db.prisma.ipPool.count({ where: { id: { in: poolIds } } })).toBe(0);
    expect(await holderAt("203.0.113.129", new Date("2026-12-01T14:03:00Z"))).toEqual(["abuser"]);
    expect(await holderAt("2001:db8:1100:1::1", new Date("2026-12-01T14:03:00Z"))).toEqual(["abuser"]);
    const { assignments } = await listAddressHistory({ prisma: db.prisma, address: "203.0.113.129" });
    expect(assignments.map((a) => [a.vm.name, a.assignedAt.toISOString(), a.releasedAt?.toISOString()])).toEqual([
      ["abuser", ASSIGNED.toISOString(), RELEASED.toISOString()],
      ["next-tenant", NEXT.toISOString(), "2027-02-01T00:00:00.000Z"],
    ]);
  });

  it("is append-only: the database refuses to change or delete an event", async () => {
    const before = await db.prisma.addressEvent.count();
    await expect(db.prisma.$executeRawUnsafe(`UPDATE "AddressEvent" SET "vmName" = 'someone-else'`)).rejects.toThrow(
      /table AddressEvent is append-only/,
    );
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM "AddressEvent"`)).rejects.toThrow(/table AddressEvent is append-only/);
    expect(await db.prisma.addressEvent.count()).toBe(before);
    expect(await db.prisma.addressEvent.count({ where: { vmName: "someone-else" } })).toBe(0);
  });
});
