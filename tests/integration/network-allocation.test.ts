import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { hostAddressRoom } from "@/lib/network/host-address-room";
import { releaseVmAddresses } from "@/lib/network/release-vm-addresses";
import { setQuarantineSeconds } from "@/lib/network/set-quarantine";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeHost } from "@/tests/helpers/netns-latency-data";
import { addPool, allocate, makeNetworkWorld, makeVm, type NetworkWorld } from "@/tests/helpers/network-fixtures";

// A VM's public addresses: the lowest free unit of the pools that serve its host, a /64 per VM on a
// routed host, one address on a segment, nothing twice, nothing out of quarantine early.

const T0 = new Date("2026-12-01T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(DB_KINDS)("allocating addresses (%s)", (kind) => {
  let db: Database;
  let world: NetworkWorld;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    world = await makeNetworkWorld(db.prisma);
    await addPool(db.prisma, world, {
      name: "routed-v4",
      family: "IPV4",
      kind: "routed",
      hostName: "routed-a",
      cidr: "203.0.113.128/26",
      reserved: ["203.0.113.130"],
      dns: ["203.0.113.53", "2001:db8::53"],
    });
    await addPool(db.prisma, world, {
      name: "routed-v6",
      family: "IPV6",
      kind: "routed",
      hostName: "routed-a",
      cidr: "2001:db8:1100::/56",
      dns: ["2001:db8::53", "2001:db8::54"],
    });
    await addPool(db.prisma, world, {
      name: "segment-v4",
      family: "IPV4",
      kind: "segment",
      cidr: "203.0.113.192/27",
      gateway: "203.0.113.193",
    });
    await addPool(db.prisma, world, {
      name: "segment-v6",
      family: "IPV6",
      kind: "segment",
      cidr: "2001:db8:0:1::/64",
      gateway: "fe80::1",
      rangeStart: "2001:db8:0:1::1000",
    });
    await setQuarantineSeconds({ prisma: db.prisma, principal: world.admin, input: { quarantineSeconds: 3600 } });
  });
  afterAll(async () => db?.close());

  it("gives a routed VM the lowest free IPv4 /32 and its own IPv6 /64, the host as gateway", async () => {
    const vm = await makeVm(db.prisma, world, world.hosts.routed, "web-1");
    const got = await allocate(db.prisma, { vm, host: world.hosts.routed, now: T0 });
    expect(got).toEqual({
      ipv4: "203.0.113.129",
      ipv6Address: "2001:db8:1100:1::1",
      ipv6Prefix: "2001:db8:1100:1::/64",
      guest: {
        ipv4: { address: "203.0.113.129", prefixLen: 32, gateway: null },
        ipv6: { address: "2001:db8:1100:1::1", prefixLen: 64, gateway: null },
        dns: ["203.0.113.53", "2001:db8::53", "2001:db8::54"],
      },
    });
    const next = await allocate(db.prisma, {
      vm: await makeVm(db.prisma, world, world.hosts.routed, "web-2"),
      host: world.hosts.routed,
      now: T0,
    });
    expect([next.ipv4, next.ipv6Prefix]).toEqual(["203.0.113.131", "2001:db8:1100:2::/64"]); // .130 is reserved
    const events = await db.prisma.addressEvent.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.action, e.family, e.address, e.prefixLen, e.vmName, e.teamSlug, e.regionCode, e.hostName])).toEqual([
      ["ASSIGN", "IPV4", "203.0.113.129", 32, "web-1", world.team.slug, "osl1", "routed-a"],
      ["ASSIGN", "IPV6", "2001:db8:1100:1::", 64, "web-1", world.team.slug, "osl1", "routed-a"],
    ]);
  });

  it("returns what a VM already holds instead of handing out more", async () => {
    const vm = await makeVm(db.prisma, world, world.hosts.routed, "again");
    const first = await allocate(db.prisma, { vm, host: world.hosts.routed, now: T0 });
    const second = await allocate(db.prisma, { vm, host: world.hosts.routed, now: at(60) });
    expect(second).toEqual(first);
    expect(await db.prisma.ipLease.count({ where: { vmId: vm.id } })).toBe(2);
    expect(await db.prisma.addressEvent.count({ where: { vmId: vm.id } })).toBe(2);
  });

  it("gives a bridged VM one address of each segment with the segment's router and prefix length", async () => {
    const got = await allocate(db.prisma, {
      vm: await makeVm(db.prisma, world, world.hosts.bridged, "seg-1"),
      host: world.hosts.bridged,
      now: T0,
    });
    expect(got).toEqual({
      ipv4: "203.0.113.194",
      ipv6Address: "2001:db8:0:1::1000",
      ipv6Prefix: null,
      guest: {
        ipv4: { address: "203.0.113.194", prefixLen: 27, gateway: "203.0.113.193" },
        ipv6: { address: "2001:db8:0:1::1000", prefixLen: 64, gateway: "fe80::1" },
        dns: [],
      },
    });
  });

  it("gives a lab user-mode VM no public address", async () => {
    const got = await allocate(db.prisma, { vm: await makeVm(db.prisma, world, world.hosts.lab, "lab-vm"), host: world.hosts.lab });
    expect(got).toMatchObject({ ipv4: null, ipv6Address: null, ipv6Prefix: null, guest: { ipv4: null, ipv6: null } });
  });

  it("refuses when no pool serves the host or all are full, naming host and region, and keeps nothing", async () => {
    const vm = await makeVm(db.prisma, world, world.hosts.routedBergen, "nowhere");
    const none = await allocate(db.prisma, { vm, host: world.hosts.routedBergen, regionCode: "bgo1" }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(AppError);
    expect(none).toMatchObject({
      code: "NO_CAPACITY",
      status: 409,
      message: "No free public IPv4 address for routed-b in Bergen (bgo1): no IPv4 pool serves it.",
    });

    const tiny = await makeHost(db.prisma, { name: "tiny", regionId: world.osl.id, networkMode: "ROUTED" });
    await addPool(db.prisma, world, { name: "tiny-v4", family: "IPV4", kind: "routed", hostName: "tiny", cidr: "198.51.100.0/31" });
    for (const name of ["tiny-1", "tiny-2"]) await allocate(db.prisma, { vm: await makeVm(db.prisma, world, tiny, name), host: tiny });
    const third = await makeVm(db.prisma, world, tiny, "tiny-3");
    await expect(allocate(db.prisma, { vm: third, host: tiny })).rejects.toMatchObject({
      code: "NO_CAPACITY",
      message: "No free public IPv4 address for tiny in Oslo (osl1): tiny-v4 is full.",
    });
    expect(await db.prisma.ipLease.count({ where: { vmId: third.id } })).toBe(0);

    // A full IPv6 pool refuses too, and the IPv4 address taken first is rolled back with it.
    await addPool(db.prisma, world, { name: "tiny-v4b", family: "IPV4", kind: "routed", hostName: "tiny", cidr: "198.51.100.8/29" });
    await addPool(db.prisma, world, { name: "tiny-v6", family: "IPV6", kind: "routed", hostName: "tiny", cidr: "2001:db8:1200::/63" });
    await allocate(db.prisma, { vm: third, host: tiny });
    const fourth = await makeVm(db.prisma, world, tiny, "tiny-4");
    await expect(allocate(db.prisma, { vm: fourth, host: tiny })).rejects.toMatchObject({
      code: "NO_CAPACITY",
      message: "No free public IPv6 prefix for tiny in Oslo (osl1): tiny-v6 is full.",
    });
    expect(await db.prisma.ipLease.count({ where: { vmId: fourth.id } })).toBe(0);
    expect(await db.prisma.addressEvent.count({ where: { vmId: fourth.id } })).toBe(0);

    const room = await db.prisma.$transaction((tx) =>
      hostAddressRoom({ tx, hosts: [world.hosts.routed, tiny, world.hosts.lab, world.hosts.routedBergen, world.hosts.bridged] }),
    );
    expect(room.map((r) => [r.ok, r.ipv4, r.ipv6, r.reason])).toEqual([
      [true, "free", "free", null],
      [false, "free", "full", "its IPv6 pools are full"],
      [true, "not-needed", "not-needed", null],
      [false, "no-pool", "no-pool", "no IPv4 pool serves it"],
      [true, "free", "free", null],
    ]);
  });

  it("keeps a released address in quarantine until it ends, then hands it out lowest first", async () => {
    const host = await makeHost(db.prisma, { name: "quiet", regionId: world.osl.id, networkMode: "ROUTED" });
    await addPool(db.prisma, world, { name: "quiet-v4", family: "IPV4", kind: "routed", hostName: "quiet", cidr: "198.51.100.16/30" });
    const [a, b, c] = [
      await makeVm(db.prisma, world, host, "q-a"),
      await makeVm(db.prisma, world, host, "q-b"),
      await makeVm(db.prisma, world, host, "q-c"),
    ];
    expect((await allocate(db.prisma, { vm: a, host, now: T0 })).ipv4).toBe("198.51.100.17");
    expect((await allocate(db.prisma, { vm: b, host, now: T0 })).ipv4).toBe("198.51.100.18");
    const released = await db.prisma.$transaction((tx) => releaseVmAddresses({ tx, vmId: a.id, quarantine: true, now: at(100) }));
    expect(released).toEqual([{ poolId: expect.any(String), address: "198.51.100.17", quarantineUntil: at(3700) }]);
    const roomOf = (now: Date) => db.prisma.$transaction((tx) => hostAddressRoom({ tx, hosts: [host], now }));
    expect((await roomOf(at(3699)))[0]).toMatchObject({ ok: false, ipv4: "full" });
    await expect(allocate(db.prisma, { vm: c, host, now: at(3699) })).rejects.toMatchObject({ code: "NO_CAPACITY" });
    expect((await roomOf(at(3700)))[0]).toMatchObject({ ok: true, ipv4: "free" });
    expect((await allocate(db.prisma, { vm: c, host, now: at(3700) })).ipv4).toBe("198.51.100.17");
    const lease = await db.prisma.ipLease.findFirstOrThrow({ where: { address: "198.51.100.17" } });
    expect(lease).toMatchObject({ vmId: c.id, assignedAt: at(3700), releasedAt: null, quarantineUntil: null });

    // Without quarantine (a VM that never ran) the address is free at once; releasing twice is harmless.
    expect(await releaseVmAddresses({ prisma: db.prisma, vmId: b.id, quarantine: false, now: at(4000) })).toEqual([
      { poolId: expect.any(String), address: "198.51.100.18", quarantineUntil: at(4000) },
    ]);
    expect(await releaseVmAddresses({ prisma: db.prisma, vmId: b.id, quarantine: false, now: at(4001) })).toEqual([]);
    expect((await allocate(db.prisma, { vm: a, host, now: at(4000) })).ipv4).toBe("198.51.100.18");
    const history = await db.prisma.addressEvent.findMany({ where: { address: "198.51.100.18" }, orderBy: { id: "asc" } });
    expect(history.map((e) => [e.action, e.vmName, e.at.toISOString()])).toEqual([
      ["ASSIGN", "q-b", T0.toISOString()],
      ["RELEASE", "q-b", at(4000).toISOString()],
      ["ASSIGN", "q-a", at(4000).toISOString()],
    ]);
  });
});
