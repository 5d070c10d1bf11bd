import {
  canonicalIp,
  formatPrefix,
  lastOf,
  parseIp,
  parsePrefix,
  prefixContains,
  type IpAddress,
  type IpFamily,
  type IpPrefix,
} from "./ip";
import { poolCapacity, type PoolKind, type PoolShape } from "./ipam";

// Whether a pool as an admin describes it can work, as a pure check. Every problem names the field
// to fix; a pool that passes comes back in canonical text (RFC 5952, network addresses).

export interface PoolProblem {
  field: string;
  message: string;
}

export interface PoolDraft {
  family: IpFamily;
  kind: PoolKind;
  cidr: string;
  gateway: string | null;
  rangeStart: string | null;
  rangeEnd: string | null;
  reserved: readonly string[];
  dns: readonly string[];
}

export type CheckedPool = PoolDraft & { prefix: IpPrefix };

export const MAX_DNS_RESOLVERS = 3;

// A routed IPv6 pool is carved into a /64 per VM, so it must hold at least two /64s (the first is the
// host's). A segment pool is the segment's own prefix: an IPv4 one needs room for a router and a
// guest besides its network and broadcast addresses; an IPv6 one is the segment's /64.
const LENGTHS: Record<IpFamily, Record<PoolKind, [number, number]>> = {
  4: { routed: [8, 32], segment: [8, 30] },
  6: { routed: [16, 63], segment: [64, 64] },
};

function lengthProblem(kind: PoolKind, prefix: IpPrefix, cidr: string): string | null {
  const [min, max] = LENGTHS[prefix.family][kind];
  const len = prefix.prefixLen;
  if (len >= min && len <= max) return null;
  if (prefix.family === 6 && kind === "routed" && len > max) return `${cidr} is too small for a /64 per VM; a /56 gives 255 VMs`;
  if (prefix.family === 6 && kind === "segment")
    return `an IPv6 segment pool is the segment's /64 (the provider's router owns it; each VM gets one address of it), not a /${len}`;
  if (prefix.family === 4 && kind === "segment" && len > max)
    return `a /${len} segment has no room for a router and a guest; use /${min} to /${max}`;
  return `a ${kind} IPv${prefix.family} pool is a /${min} to /${max}, not a /${len}`;
}

/** The IPv4 network and broadcast addresses, or an IPv6 segment's subnet-router anycast address. */
function isSpecial(prefix: IpPrefix, ip: IpAddress): boolean {
  if (ip.value === prefix.network) return true;
  return prefix.family === 4 && prefix.prefixLen <= 30 && ip.value === lastOf(prefix);
}

const isLinkLocal6 = (ip: IpAddress) => ip.family === 6 && ip.value >> 118n === 0x3fan; // fe80::/10

export function checkPoolShape(d: PoolDraft): { ok: true; pool: CheckedPool } | { ok: false; problems: PoolProblem[] } {
  const problems: PoolProblem[] = [];
  const refuse = (field: string, message: string) => void problems.push({ field, message });
  const parsed = parsePrefix(d.cidr);
  if (!parsed.ok) {
    refuse(
      "cidr",
      parsed.problem === "host-bits"
        ? `${d.cidr} has host bits set; did you mean ${parsed.suggestion}?`
        : `${d.cidr} is not a prefix such as 203.0.113.0/24 or 2001:db8:1100::/56`,
    );
    return { ok: false, problems };
  }
  const prefix = parsed.prefix;
  if (prefix.family !== d.family) {
    refuse("family", `${d.cidr} is an IPv${prefix.family} prefix, but the family is IPv${d.family}`);
    return { ok: false, problems };
  }
  const cidr = formatPrefix(prefix);
  const tooLong = lengthProblem(d.kind, prefix, cidr);
  if (tooLong) refuse("cidr", tooLong);

  /** Canonical text of an address that must lie inside the prefix, or null (with a problem noted). */
  const inside = (field: string, text: string): string | null => {
    const ip = parseIp(text);
    if (!ip) return (refuse(field, `${text} is not an IP address`), null);
    if (!prefixContains(prefix, ip)) return (refuse(field, `${text} is not inside ${cidr}`), null);
    return canonicalIp(text);
  };

  let gateway: string | null = null;
  if (d.kind === "routed" && d.gateway) refuse("gateway", "a routed pool has no gateway: its host is every guest's gateway");
  if (d.kind === "segment" && !d.gateway) refuse("gateway", "a segment pool needs the segment's router address");
  if (d.kind === "segment" && d.gateway) {
    const ip = parseIp(d.gateway);
    // Providers' routers often answer on a segment as fe80::1: a link-local IPv6 gateway is allowed.
    if (ip && d.family === 6 && isLinkLocal6(ip)) gateway = canonicalIp(d.gateway);
    else gateway = inside("gateway", d.gateway);
    if (gateway && ip && !isLinkLocal6(ip) && isSpecial(prefix, ip)) {
      refuse("gateway", `${gateway} is the ${ip.value === prefix.network ? "network" : "broadcast"} address of ${cidr}, not a router`);
    }
  }

  const rangeStart = d.rangeStart ? inside("rangeStart", d.rangeStart) : null;
  const rangeEnd = d.rangeEnd ? inside("rangeEnd", d.rangeEnd) : null;
  if (rangeStart && rangeEnd && parseIp(rangeStart)!.value > parseIp(rangeEnd)!.value)
    refuse("rangeEnd", `${rangeEnd} comes before the range's start ${rangeStart}`);
  const reserved = [...new Set(d.reserved.map((a) => inside("reserved", a)).filter((a): a is string => a !== null))];
  if (d.dns.length > MAX_DNS_RESOLVERS) refuse("dns", `at most ${MAX_DNS_RESOLVERS} resolvers (a guest uses no more), not ${d.dns.length}`);
  const dns = [...new Set(d.dns.map((a) => canonicalIp(a) ?? (refuse("dns", `${a} is not an IP address`), "")))];
  if (problems.length > 0) return { ok: false, problems };

  const pool: CheckedPool = { ...d, cidr, prefix, gateway, rangeStart, rangeEnd, reserved, dns };
  if (poolCapacity(shapeOf(pool)) === 0n) {
    refuse(rangeStart || rangeEnd ? "rangeStart" : "reserved", `the range and reserved addresses leave nothing of ${cidr} to hand out`);
    return { ok: false, problems };
  }
  return { ok: true, pool };
}

export const shapeOf = (p: PoolDraft): PoolShape => ({
  family: p.family,
  kind: p.kind,
  cidr: p.cidr,
  gateway: p.gateway,
  rangeStart: p.rangeStart,
  rangeEnd: p.rangeEnd,
  reserved: p.reserved,
});
