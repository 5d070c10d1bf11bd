import { describe, expect, it } from "vitest";
import { canonicalIp, enclosingPrefix, formatIp, parseIp, parsePrefix, prefixesOverlap } from "@/lib/network/ip";
import { guestAddressOf, pickFreeUnit, poolCapacity, type PoolShape } from "@/lib/network/ipam";

describe("IP parsing and text", () => {
  it("writes IPv6 as RFC 5952 says", () => {
    expect(canonicalIp("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(canonicalIp("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1"); // the first of equal runs
    expect(canonicalIp("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1"); // a single zero group stays
    expect(canonicalIp("::")).toBe("::");
    expect(canonicalIp("fe80::1")).toBe("fe80::1");
    expect(canonicalIp("203.0.113.7")).toBe("203.0.113.7");
  });

  it("refuses what is not a plain address", () => {
    for (const bad of ["203.0.113", "203.0.113.256", "1.2.3.4.5", "fe80::1%eth0", "::ffff:1.2.3.4", "2001:db8::g", "", " 1.2.3.4"]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it("refuses a prefix with host bits set and says which network was meant", () => {
    expect(parsePrefix("203.0.113.5/24")).toEqual({ ok: false, problem: "host-bits", suggestion: "203.0.113.0/24" });
    expect(parsePrefix("2001:db8:1100::1/56")).toMatchObject({ ok: false, suggestion: "2001:db8:1100::/56" });
    expect(parsePrefix("203.0.113.0/33")).toEqual({ ok: false, problem: "syntax" });
    expect(parsePrefix("203.0.113.0/24")).toMatchObject({ ok: true });
  });

  it("finds overlaps and the /64 an address lies in", () => {
    const p = (s: string) => (parsePrefix(s) as { ok: true; prefix: ReturnType<typeof enclosingPrefix> }).prefix;
    expect(prefixesOverlap(p("203.0.113.128/28"), p("203.0.113.136/29"))).toBe(true);
    expect(prefixesOverlap(p("203.0.113.128/28"), p("203.0.113.144/28"))).toBe(false);
    expect(prefixesOverlap(p("203.0.113.0/24"), p("2001:db8::/32"))).toBe(false);
    const ip = parseIp("2001:db8:1100:7:abcd::9")!;
    expect(formatIp({ family: 6, value: enclosingPrefix(ip, 64).network })).toBe("2001:db8:1100:7::");
  });
});

describe("pools", () => {
  const routed4: PoolShape = { family: 4, cidr: "203.0.113.128/28", gateway: null, kind: "routed" };
  const segment4: PoolShape = {
    family: 4,
    cidr: "203.0.113.192/27",
    gateway: "203.0.113.193",
    kind: "segment",
    reserved: ["203.0.113.194"],
  };
  const routed6: PoolShape = { family: 6, cidr: "2001:db8:1100::/56", gateway: null, kind: "routed" };
  const segment6: PoolShape = {
    family: 6,
    cidr: "2001:db8:0:1::/64",
    gateway: "2001:db8:0:1::1",
    kind: "segment",
    rangeStart: "2001:db8:0:1::1000",
    rangeEnd: "2001:db8:0:1::1fff",
  };

  it("hands out IPv4 addresses lowest first, never the network, broadcast, gateway or a reserved one", () => {
    expect(pickFreeUnit(routed4, new Set())).toBe("203.0.113.129");
    expect(pickFreeUnit(segment4, new Set())).toBe("203.0.113.195");
    expect(pickFreeUnit(segment4, new Set(["203.0.113.195"]))).toBe("203.0.113.196");
    expect(poolCapacity(routed4)).toBe(14n);
    expect(poolCapacity(segment4)).toBe(32n - 4n);
  });

  it("says the pool is full when every unit is taken", () => {
    const all = new Set(Array.from({ length: 14 }, (_, i) => `203.0.113.${129 + i}`));
    expect(pickFreeUnit(routed4, all)).toBeNull();
  });

  it("carves a /64 per VM from a routed IPv6 prefix, skipping the first", () => {
    expect(pickFreeUnit(routed6, new Set())).toBe("2001:db8:1100:1::");
    expect(poolCapacity(routed6)).toBe(255n);
    expect(guestAddressOf(routed6, "2001:db8:1100:1::")).toEqual({
      address: "2001:db8:1100:1::1",
      interfacePrefixLen: 64,
      routedPrefix: "2001:db8:1100:1::/64",
    });
  });

  it("gives one address of a segment's range, with the segment's prefix length", () => {
    expect(pickFreeUnit(segment6, new Set())).toBe("2001:db8:0:1::1000");
    expect(poolCapacity(segment6)).toBe(4096n);
    expect(guestAddressOf(segment6, "2001:db8:0:1::1000")).toEqual({
      address: "2001:db8:0:1::1000",
      interfacePrefixLen: 64,
      routedPrefix: null,
    });
    expect(guestAddressOf(segment4, "203.0.113.195").interfacePrefixLen).toBe(27);
    expect(guestAddressOf(routed4, "203.0.113.129").interfacePrefixLen).toBe(32);
  });
});
