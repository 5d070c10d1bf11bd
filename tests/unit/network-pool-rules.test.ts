import { describe, expect, it } from "vitest";
import { isUnitOf, type PoolShape } from "@/lib/network/ipam";
import { checkPoolShape, type PoolDraft } from "@/lib/network/pool-rules";

const routed4: PoolDraft = {
  family: 4,
  kind: "routed",
  cidr: "203.0.113.128/25",
  gateway: null,
  rangeStart: null,
  rangeEnd: null,
  reserved: [],
  dns: [],
};
const segment4: PoolDraft = { ...routed4, kind: "segment", cidr: "203.0.113.192/27", gateway: "203.0.113.193" };
const routed6: PoolDraft = { ...routed4, family: 6, cidr: "2001:db8:1100::/56" };
const segment6: PoolDraft = { ...routed6, kind: "segment", cidr: "2001:db8:0:1::/64", gateway: "2001:db8:0:1::1" };

/** The problems as "field: message" lines. */
function refusals(d: PoolDraft): string[] {
  const r = checkPoolShape(d);
  return r.ok ? [] : r.problems.map((p) => `${p.field}: ${p.message}`);
}

describe("pool rules", () => {
  it("accepts well-formed pools and writes them canonically", () => {
    for (const d of [routed4, segment4, routed6, segment6]) expect(refusals(d), d.cidr).toEqual([]);
    const r = checkPoolShape({
      ...segment6,
      cidr: "2001:DB8:0:1:0::/64",
      gateway: "2001:db8:0:1:0:0:0:1",
      dns: ["2001:4860:4860:0:0:0:0:8888", "192.0.2.53"],
    });
    expect(r).toMatchObject({
      ok: true,
      pool: { cidr: "2001:db8:0:1::/64", gateway: "2001:db8:0:1::1", dns: ["2001:4860:4860::8888", "192.0.2.53"] },
    });
  });

  it("refuses a prefix with host bits set, suggesting the network meant", () => {
    expect(refusals({ ...segment4, cidr: "203.0.113.5/24", gateway: "203.0.113.1" })).toEqual([
      "cidr: 203.0.113.5/24 has host bits set; did you mean 203.0.113.0/24?",
    ]);
    expect(refusals({ ...routed4, cidr: "203.0.113/24" })).toEqual([
      "cidr: 203.0.113/24 is not a prefix such as 203.0.113.0/24 or 2001:db8:1100::/56",
    ]);
  });

  it("refuses a family that does not match the prefix", () => {
    expect(refusals({ ...routed4, cidr: "2001:db8:1100::/56" })).toEqual([
      "family: 2001:db8:1100::/56 is an IPv6 prefix, but the family is IPv4",
    ]);
  });

  it("sizes pools by kind: a /64 per routed VM, the segment's /64, IPv4 /8–/32 routed and /8–/30 on a segment", () => {
    expect(refusals({ ...routed6, cidr: "2001:db8:1100::/64" })).toEqual([
      "cidr: 2001:db8:1100::/64 is too small for a /64 per VM; a /56 gives 255 VMs",
    ]);
    expect(refusals({ ...routed6, cidr: "2001:db8:1100::/63" })).toEqual([]);
    expect(refusals({ ...segment6, cidr: "2001:db8:1100::/56", gateway: "2001:db8:1100::1" })[0]).toMatch(
      /^cidr: an IPv6 segment pool is the segment's \/64/,
    );
    expect(refusals({ ...segment4, cidr: "203.0.113.192/31", gateway: "203.0.113.193" })).toEqual([
      "cidr: a /31 segment has no room for a router and a guest; use /8 to /30",
    ]);
    expect(refusals({ ...routed4, cidr: "203.0.113.7/32" })).toEqual([]);
    expect(refusals({ ...routed4, cidr: "202.0.0.0/7" })).toEqual(["cidr: a routed IPv4 pool is a /8 to /32, not a /7"]);
  });

  it("wants a segment's router inside it, not its network or broadcast address, and no gateway on a routed pool", () => {
    expect(refusals({ ...segment4, gateway: null })).toEqual(["gateway: a segment pool needs the segment's router address"]);
    expect(refusals({ ...segment4, gateway: "198.51.100.1" })).toEqual(["gateway: 198.51.100.1 is not inside 203.0.113.192/27"]);
    expect(refusals({ ...segment4, gateway: "203.0.113.192" })).toEqual([
      "gateway: 203.0.113.192 is the network address of 203.0.113.192/27, not a router",
    ]);
    expect(refusals({ ...segment4, gateway: "203.0.113.223" })).toEqual([
      "gateway: 203.0.113.223 is the broadcast address of 203.0.113.192/27, not a router",
    ]);
    expect(refusals({ ...segment4, gateway: "router" })).toEqual(["gateway: router is not an IP address"]);
    expect(refusals({ ...routed4, gateway: "203.0.113.129" })).toEqual([
      "gateway: a routed pool has no gateway: its host is every guest's gateway",
    ]);
    expect(refusals({ ...segment6, gateway: "fe80::1" })).toEqual([]); // the provider's router on the link
    expect(refusals({ ...segment4, gateway: "fe80::1" })).toEqual(["gateway: fe80::1 is not inside 203.0.113.192/27"]);
  });

  it("checks range, reserved and resolvers, naming each field", () => {
    expect(refusals({ ...routed4, rangeStart: "203.0.113.200", rangeEnd: "203.0.113.150" })).toEqual([
      "rangeEnd: 203.0.113.150 comes before the range's start 203.0.113.200",
    ]);
    expect(refusals({ ...routed4, rangeStart: "203.0.113.1" })).toEqual(["rangeStart: 203.0.113.1 is not inside 203.0.113.128/25"]);
    expect(refusals({ ...routed4, reserved: ["203.0.113.130", "2001:db8::1"] })).toEqual([
      "reserved: 2001:db8::1 is not inside 203.0.113.128/25",
    ]);
    expect(refusals({ ...routed4, dns: ["192.0.2.53", "dns.example"] })).toEqual(["dns: dns.example is not an IP address"]);
    expect(refusals({ ...routed4, dns: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] })).toEqual([
      "dns: at most 3 resolvers (a guest uses no more), not 4",
    ]);
    expect(refusals({ ...routed4, cidr: "203.0.113.128/30", reserved: ["203.0.113.129", "203.0.113.130"] })).toEqual([
      "reserved: the range and reserved addresses leave nothing of 203.0.113.128/30 to hand out",
    ]);
  });

  it("reports every problem at once", () => {
    expect(refusals({ ...segment4, gateway: null, rangeStart: "x", dns: ["y"] })).toEqual([
      "gateway: a segment pool needs the segment's router address",
      "rangeStart: x is not an IP address",
      "dns: y is not an IP address",
    ]);
  });
});

describe("isUnitOf", () => {
  const routed: PoolShape = { family: 6, kind: "routed", cidr: "2001:db8:1100::/56", gateway: null, reserved: ["2001:db8:1100:5::"] };
  const segment: PoolShape = {
    family: 4,
    kind: "segment",
    cidr: "203.0.113.192/27",
    gateway: "203.0.113.193",
    rangeStart: "203.0.113.200",
    rangeEnd: "203.0.113.210",
  };

  it("says whether a held unit still belongs to a pool as it is shaped now", () => {
    expect(isUnitOf(routed, "2001:db8:1100:1::")).toBe(true);
    expect(isUnitOf(routed, "2001:db8:1100::")).toBe(false); // the host's own /64
    expect(isUnitOf(routed, "2001:db8:1100:5::")).toBe(false); // reserved
    expect(isUnitOf(routed, "2001:db8:1100:1::1")).toBe(false); // not a /64 boundary
    expect(isUnitOf(segment, "203.0.113.200")).toBe(true);
    expect(isUnitOf(segment, "203.0.113.199")).toBe(false);
    expect(isUnitOf(segment, "203.0.113.211")).toBe(false);
    expect(isUnitOf(segment, "198.51.100.200")).toBe(false);
  });
});
