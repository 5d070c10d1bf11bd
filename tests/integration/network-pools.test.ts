import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { deleteIpPool } from "@/lib/network/delete-ip-pool";
import { ipPoolsByRegion } from "@/lib/network/ip-pools-by-region";
import { listIpPools } from "@/lib/network/list-ip-pools";
import { releaseVmAddresses } from "@/lib/network/release-vm-addresses";
import { readQuarantineSeconds } from "@/lib/network/quarantine";
import { setQuarantineSeconds } from "@/lib/network/set-quarantine";
import { updateIpPool } from "@/lib/network/update-ip-pool";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { addPool, allocate, makeNetworkWorld, makeVm, type NetworkWorld } from "@/tests/helpers/network-fixtures";

// Address pools as an admin manages them: every refusal names its field and stores nothing; use
// figures add up; a pool with a held or resting address cannot be deleted or cut short.

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const routedV4 = { name: "osl-routed-v4", family: "IPV4", kind: "routed", hostName: "routed-a", cidr: "203.0.113.128/26" };
const segmentV4 = {
  name: "osl-segment-v4",
  family: "IPV4",
  kind: "segment",
  cidr: "203.0.113.192/27",
  gateway: "203.0.113.193",
  reserved: ["203.0.113.194"],
  dns: ["203.0.113.53"],
};
const routedV6 = {
  name: "osl-routed-v6",
  family: "IPV6",
  kind: "routed",
  hostName: "routed-a",
  cidr: "2001:db8:1100::/56",
  dns: ["2001:db8::53"],
};

const REFUSALS: [string, Record<string, unknown>, RegExp][] = [
  [
    "host bits",
    { ...routedV4, cidr: "203.0.113.130/26" },
    /^Pool: cidr: 203\.0\.113\.130\/26 has host bits set; did you mean 203\.0\.113\.128\/26\?$/,
  ],
  [
    "a family that does not match",
    { ...routedV4, family: "IPV6" },
    /^Pool: family: 203\.0\.113\.128\/26 is an IPv4 prefix, but the family is IPv6$/,
  ],
  ["a segment without gateway", { ...segmentV4, gateway: "" }, /^Pool: gateway: a segment pool needs the segment's router address$/],
  [
    "a gateway outside the prefix",
    { ...segmentV4, gateway: "203.0.113.1" },
    /^Pool: gateway: 203\.0\.113\.1 is not inside 203\.0\.113\.192\/27$/,
  ],
  [
    "the broadcast address as gateway",
    { ...segmentV4, gateway: "203.0.113.223" },
    /^Pool: gateway: 203\.0\.113\.223 is the broadcast address/,
  ],
  [
    "a routed pool with a gateway",
    { ...routedV4, gateway: "203.0.113.129" },
    /^Pool: gateway: a routed pool has no gateway: its host is every guest's gateway$/,
  ],
  ["a routed pool without host", { ...routedV4, hostName: "" }, /^Pool: hostName: a routed pool needs the host the provider routes it to$/],
  ["a host that does not exist", { ...routedV4, hostName: "nowhere" }, /^Pool: hostName: there is no host named nowhere$/],
  [
    "a host in another region",
    { ...routedV4, hostName: "routed-b" },
    /^Pool: hostName: routed-b is in Bergen \(bgo1\), not in Oslo \(osl1\)$/,
  ],
  [
    "a bridged host for a routed pool",
    { ...routedV4, hostName: "bridged-a" },
    /^Pool: hostName: bridged-a is a bridged host .*; a routed pool belongs to a routed host$/,
  ],
  [
    "a lab host for a routed pool",
    { ...routedV4, hostName: "lab-a" },
    /^Pool: hostName: lab-a is a lab host on user-mode networking; a routed pool belongs to a routed host$/,
  ],
  [
    "a segment pool with a host",
    { ...segmentV4, hostName: "bridged-a" },
    /^Pool: hostName: a segment pool is shared by the region's bridged hosts; leave the host empty$/,
  ],
  [
    "an IPv6 routed prefix too small",
    { ...routedV6, cidr: "2001:db8:1100::/64" },
    /^Pool: cidr: 2001:db8:1100::\/64 is too small for a \/64 per VM; a \/56 gives 255 VMs$/,
  ],
  [
    "an IPv6 segment that is not a /64",
    { ...routedV6, kind: "segment", hostName: null, gateway: "fe80::1" },
    /^Pool: cidr: an IPv6 segment pool is the segment's \/64/,
  ],
  [
    "an IPv4 segment of a /31",
    { ...segmentV4, cidr: "203.0.113.192/31", gateway: "203.0.113.193", reserved: [] },
    /^Pool: cidr: a \/31 segment has no room for a router and a guest; use \/8 to \/30$/,
  ],
  [
    "a reserved address outside",
    { ...routedV4, reserved: ["203.0.113.1"] },
    /^Pool: reserved: 203\.0\.113\.1 is not inside 203\.0\.113\.128\/26$/,
  ],
  ["a range outside", { ...routedV4, rangeEnd: "203.0.113.200" }, /^Pool: rangeEnd: 203\.0\.113\.200 is not inside 203\.0\.113\.128\/26$/],
  ["a resolver that is not an address", { ...routedV4, dns: ["resolver.example"] }, /^Pool: dns: resolver\.example is not an IP address$/],
  ["four resolvers", { ...routedV4, dns: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] }, /^Pool: dns: at most 3 resolvers/],
  ["a name like no other admin name", { ...routedV4, name: "Osl Pool!" }, /^Pool: name: use 2–63 lowercase letters, digits and dashes/],
  ["a region that does not exist", { ...routedV4, regionCode: "zz9" }, /^Pool: regionCode: there is no region zz9$/],
  [
    "overlap with a pool in another region",
    { ...routedV4, cidr: "203.0.113.240/28" },
    /^Pool: cidr: 203\.0\.113\.240\/28 overlaps pool bgo-routed-v4 \(203\.0\.113\.224\/27\) in Bergen \(bgo1\)$/,
  ],
  ["overlap with a larger pool", { ...routedV4, cidr: "203.0.113.128/25" }, /^Pool: cidr: 203\.0\.113\.128\/25 overlaps pool /],
];

describe.each(DB_KINDS)("address pools (%s)", (kind) => {
  let db: Database;
  let world: NetworkWorld;
  const counts = async () => [
    await db.prisma.ipPool.count(),
    await db.prisma.auditEvent.count({ where: { action: { startsWith: "ip-pool." } } }),
  ];

  beforeAll(async () => {
    db = await freshDatabase(kind);
    world = await makeNetworkWorld(db.prisma);
    await addPool(db.prisma, world, {
      name: "bgo-routed-v4",
      regionCode: "bgo1",
      family: "IPV4",
      kind: "routed",
      hostName: "routed-b",
      cidr: "203.0.113.224/27",
    });
  });
  afterAll(async () => db?.close());

  it.each(REFUSALS)("refuses %s with a 4xx naming the field, storing nothing", async (_what, input, message) => {
    const before = await counts();
    const err = await refusal(addPool(db.prisma, world, input));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(message);
    expect((err.details as { path: string }[])[0]!.path).toBe(err.message.split(": ")[1]);
    expect(await counts()).toEqual(before);
  });

  it("creates pools canonically, refuses a second name in a region, and answers 404 to a non-admin", async () => {
    const pool = await addPool(db.prisma, world, { ...routedV6, cidr: "2001:DB8:1100:0::/56" });
    expect(pool).toMatchObject({
      kind: "routed",
      cidr: "2001:db8:1100::/56",
      gateway: null,
      host: { name: "routed-a" },
      unitPrefixLen: 64,
      regionCode: "osl1",
    });
    const dup = await refusal(addPool(db.prisma, world, { ...routedV4, name: routedV6.name }));
    expect(dup).toMatchObject({ code: "CONFLICT", message: "Pool: name: a pool named osl-routed-v6 already exists in Oslo (osl1)" });
    await expect(listIpPools({ prisma: db.prisma, principal: world.tenant, page: { limit: 50 } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "ip-pool.create", targetId: pool.id } });
    expect(audit.details).toMatchObject({ cidr: "2001:db8:1100::/56", host: "routed-a", kind: "routed" });
  });

  it("shows each pool's use: held, in quarantine, free and capacity (as text for IPv6)", async () => {
    const v4 = await addPool(db.prisma, world, routedV4);
    await addPool(db.prisma, world, segmentV4);
    // One after another: makeVms upserts the test plan and image, and concurrent upserts race on PostgreSQL.
    const vms = [];
    for (const n of ["use-1", "use-2", "use-3"]) vms.push(await makeVm(db.prisma, world, world.hosts.routed, n));
    for (const vm of vms) await allocate(db.prisma, { vm, host: world.hosts.routed });
    await releaseVmAddresses({ prisma: db.prisma, vmId: vms[2]!.id, quarantine: true });
    const { regions } = await ipPoolsByRegion({ prisma: db.prisma, principal: world.admin });
    expect(regions.map((r) => r.code)).toEqual(["bgo1", "osl1"]);
    const osl = regions.find((r) => r.code === "osl1")!;
    expect(osl.pools.map((p) => [p.name, p.use])).toEqual([
      ["osl-routed-v4", { held: 2, quarantined: 1, free: "59", capacity: "62" }],
      ["osl-segment-v4", { held: 0, quarantined: 0, free: "28", capacity: "28" }],
      ["osl-routed-v6", { held: 2, quarantined: 1, free: "252", capacity: "255" }],
    ]);
    const later = await listIpPools({
      prisma: db.prisma,
      principal: world.admin,
      regionCode: "osl1",
      page: { limit: 50 },
      now: new Date(Date.now() + 86_401_000),
    });
    expect(later.items.find((p) => p.id === v4.id)!.use).toEqual({ held: 2, quarantined: 0, free: "60", capacity: "62" });
  });

  it("changes resolvers, reserved addresses and range, but never leaves a held address out", async () => {
    const pool = (await listIpPools({ prisma: db.prisma, principal: world.admin, regionCode: "osl1", page: { limit: 50 } })).items.find(
      (p) => p.name === "osl-routed-v4",
    )!;
    const edit = (input: unknown) => updateIpPool({ prisma: db.prisma, principal: world.admin, id: pool.id, input });
    const changed = await edit({ dns: ["2001:DB8::53", "203.0.113.53"], reserved: ["203.0.113.190"], rangeEnd: "203.0.113.180" });
    expect(changed).toMatchObject({
      dns: ["2001:db8::53", "203.0.113.53"],
      reserved: ["203.0.113.190"],
      rangeEnd: "203.0.113.180",
      cidr: "203.0.113.128/26",
    });
    const reserving = await refusal(edit({ reserved: ["203.0.113.129"] }));
    expect(reserving.message).toMatch(
      /^Pool: reserved: 203\.0\.113\.129 is held by use-1 \(team team-\w+\); release it before taking it out of the pool$/,
    );
    const cutting = await refusal(edit({ rangeStart: "203.0.113.131" }));
    expect(cutting.message).toMatch(
      /^Pool: rangeStart: 203\.0\.113\.129 is held by use-1 .*; rangeStart: 203\.0\.113\.130 is held by use-2 /,
    );
    expect((await refusal(edit({ cidr: "203.0.113.128/25" }))).message).toBe(
      "Pool: cidr: cannot change; add a new pool and delete this one",
    );
    expect((await refusal(edit({ gateway: "203.0.113.129" }))).message).toBe(
      "Pool: gateway: a routed pool has no gateway: its host is every guest's gateway",
    );
    expect((await refusal(edit({}))).message).toBe("Pool: nothing to change");
    expect(await db.prisma.ipPool.findUniqueOrThrow({ where: { id: pool.id } })).toMatchObject({
      reserved: ["203.0.113.190"],
      rangeStart: null,
      rangeEnd: "203.0.113.180",
    });
    await expect(updateIpPool({ prisma: db.prisma, principal: world.admin, id: "not-an-id", input: { dns: [] } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses to delete a pool while an address is held or resting, in words, then deletes it", async () => {
    const pool = await addPool(db.prisma, world, {
      name: "short-lived",
      family: "IPV4",
      kind: "routed",
      hostName: "routed-a",
      cidr: "198.51.100.252/30",
    });
    await db.prisma.ipPool.update({ where: { id: pool.id }, data: { createdAt: new Date(0) } }); // handed out first
    const vm = await makeVm(db.prisma, world, world.hosts.routed, "pinned");
    const got = await allocate(db.prisma, { vm, host: world.hosts.routed });
    expect(got.ipv4).toBe("198.51.100.253");
    const remove = (now?: Date) => deleteIpPool({ prisma: db.prisma, principal: world.admin, id: pool.id, now });
    const held = await refusal(remove());
    expect(held).toMatchObject({ code: "CONFLICT", status: 409 });
    expect(held.message).toBe(
      "Pool short-lived (198.51.100.252/30) cannot be deleted: 1 address is held by VMs (198.51.100.253 by pinned). Delete those VMs first, and wait for the quarantine to end.",
    );
    const releasedAt = new Date("2026-12-01T10:00:00Z");
    await releaseVmAddresses({ prisma: db.prisma, vmId: vm.id, quarantine: true, now: releasedAt });
    const resting = await refusal(remove(new Date("2026-12-01T12:00:00Z")));
    expect(resting.message).toMatch(/cannot be deleted: 1 address is in quarantine until 2026-12-02 10:00 UTC\./);
    expect(await remove(new Date("2026-12-02T10:00:01Z"))).toEqual({ deleted: "short-lived" });
    expect(await db.prisma.ipPool.count({ where: { id: pool.id } })).toBe(0);
    expect(await db.prisma.addressEvent.count({ where: { poolId: pool.id } })).toBe(2); // assigned and released: history outlives the pool
  });

  it("keeps the quarantine setting between 0 and 90 days", async () => {
    expect(await readQuarantineSeconds({ db: db.prisma })).toBe(86_400);
    const set = (quarantineSeconds: unknown) =>
      setQuarantineSeconds({ prisma: db.prisma, principal: world.admin, input: { quarantineSeconds } });
    expect(await set(0)).toEqual({ quarantineSeconds: 0 });
    expect((await refusal(set(90 * 86_400 + 1))).message).toMatch(/^Quarantine: quarantineSeconds: /);
    expect((await refusal(set(-1))).code).toBe("VALIDATION");
    await set(7_776_000);
    expect(await readQuarantineSeconds({ db: db.prisma })).toBe(7_776_000);
    await expect(
      setQuarantineSeconds({ prisma: db.prisma, principal: world.tenant, input: { quarantineSeconds: 5 } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await set(86_400);
  });
});
