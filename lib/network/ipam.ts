import { bitsOf, formatIp, formatPrefix, lastOf, parseIp, parsePrefix, prefixContains, type IpFamily, type IpPrefix } from "./ip";

// Address pools as a pure decision: what a pool hands out, how much of it is free, and which unit the
// next VM gets. A unit is what one VM receives from a pool: an IPv4 address (/32), an IPv6 /64 carved
// from a routed prefix, or one IPv6 address (/128) on a bridged segment.

export type PoolKind = "routed" | "segment";

export interface PoolShape {
  family: IpFamily;
  cidr: string;
  /** the segment's router; a routed pool has none (its host is every guest's gateway) */
  gateway: string | null;
  /** a routed pool is routed by the provider to one host; a segment pool serves a region's bridged hosts */
  kind: PoolKind;
  rangeStart?: string | null;
  rangeEnd?: string | null;
  reserved?: readonly string[];
}

/** The length of what one VM receives: /32 for IPv4, a /64 from a routed IPv6 prefix, /128 on a segment. */
export function unitPrefixLen(pool: Pick<PoolShape, "family" | "kind">): number {
  if (pool.family === 4) return 32;
  return pool.kind === "routed" ? 64 : 128;
}

interface Units {
  prefix: IpPrefix;
  unitLen: number;
  first: bigint;
  last: bigint;
  excluded: Set<bigint>;
}

function unitsOf(pool: PoolShape): Units {
  const parsed = parsePrefix(pool.cidr);
  if (!parsed.ok) throw new Error(`pool cidr ${pool.cidr} is not a prefix`);
  const prefix = parsed.prefix;
  const unitLen = unitPrefixLen(pool);
  const step = 1n << BigInt(bitsOf(prefix.family) - unitLen);
  const indexOf = (text: string) => {
    const ip = parseIp(text);
    return ip && prefixContains(prefix, ip) ? (ip.value - prefix.network) / step : null;
  };
  let first = 0n;
  let last = (lastOf(prefix) - prefix.network) / step;
  if (pool.rangeStart) first = indexOf(pool.rangeStart) ?? first;
  if (pool.rangeEnd) last = indexOf(pool.rangeEnd) ?? last;
  const excluded = new Set<bigint>();
  // The network and broadcast addresses of an IPv4 prefix, and the subnet-router anycast address of an
  // IPv6 segment, are never handed out; nor is an IPv6 prefix's first /64 (for the host's own use).
  if (prefix.family === 4 && prefix.prefixLen <= 30) excluded.add(0n).add((lastOf(prefix) - prefix.network) / step);
  if (prefix.family === 6) excluded.add(0n);
  for (const a of [pool.gateway, ...(pool.reserved ?? [])]) {
    const i = a ? indexOf(a) : null;
    if (i !== null) excluded.add(i);
  }
  return { prefix, unitLen, first, last, excluded };
}

const unitText = (u: Units, index: bigint) => {
  const step = 1n << BigInt(bitsOf(u.prefix.family) - u.unitLen);
  return formatIp({ family: u.prefix.family, value: u.prefix.network + index * step });
};

/** How many units the pool can hand out in all (reserved, gateway and special addresses left out). */
export function poolCapacity(pool: PoolShape): bigint {
  const u = unitsOf(pool);
  let n = u.last - u.first + 1n;
  for (const i of u.excluded) if (i >= u.first && i <= u.last) n--;
  return n > 0n ? n : 0n;
}

/**
 * The lowest free unit: not excluded and not in `taken` (held by a VM or in quarantine), as canonical
 * text of its first address. Null when the pool is full. Scans at most |taken| + |excluded| + 1 units.
 */
export function pickFreeUnit(pool: PoolShape, taken: ReadonlySet<string>): string | null {
  const u = unitsOf(pool);
  for (let i = u.first; i <= u.last; i++) {
    if (u.excluded.has(i)) continue;
    const text = unitText(u, i);
    if (!taken.has(text)) return text;
  }
  return null;
}

/**
 * Whether `unit` is one the pool can hand out as it is shaped now: inside its range, on a unit
 * boundary, not excluded. A change of range or reserved addresses must keep every held unit so.
 */
export function isUnitOf(pool: PoolShape, unit: string): boolean {
  const u = unitsOf(pool);
  const ip = parseIp(unit);
  if (!ip || !prefixContains(u.prefix, ip)) return false;
  const step = 1n << BigInt(bitsOf(u.prefix.family) - u.unitLen);
  const offset = ip.value - u.prefix.network;
  const index = offset / step;
  return offset % step === 0n && index >= u.first && index <= u.last && !u.excluded.has(index);
}

/** What the guest configures for a unit: its address with the interface's prefix length. */
export function guestAddressOf(
  pool: PoolShape,
  unit: string,
): { address: string; interfacePrefixLen: number; routedPrefix: string | null } {
  const ip = parseIp(unit);
  if (!ip) throw new Error(`unit ${unit} is not an address`);
  if (pool.family === 4) {
    // Routed: a /32 with the host as an on-link gateway. Segment: the segment's own prefix length.
    const len = pool.kind === "routed" ? 32 : (parsePrefix(pool.cidr) as { ok: true; prefix: IpPrefix }).prefix.prefixLen;
    return { address: unit, interfacePrefixLen: len, routedPrefix: null };
  }
  if (pool.kind === "routed") {
    // The VM's /64: the guest takes its ::1, and the whole /64 is routed to its tap.
    return {
      address: formatIp({ family: 6, value: ip.value + 1n }),
      interfacePrefixLen: 64,
      routedPrefix: formatPrefix({ family: 6, network: ip.value, prefixLen: 64 }),
    };
  }
  return { address: unit, interfacePrefixLen: 64, routedPrefix: null };
}
