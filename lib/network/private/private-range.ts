import { randomBytes } from "node:crypto";
import { formatIp, formatPrefix, lastOf, parseIp, parsePrefix, prefixesOverlap, type IpPrefix } from "../ip";
import { pickFreeUnit, type PoolShape } from "../ipam";

// A private network's address plan as pure decisions: which IPv4 ranges are allowed, the one Skjold
// suggests, the ULA /64, which address the next member gets, and the VNI the network is given.
//
// Gateway-less by design: nothing routes a private network, so no address is a router's. Still, the
// network's first host address (.1) is kept back, never handed out, so that a router Skjold may put
// there later (a NAT gateway for VMs without a public IPv4) needs no member to move. A member's IPv6
// is the ULA /64 plus the same host number as its IPv4 (10.0.0.7 ↔ fd…::7), so the two never disagree.

/** The shortest and longest IPv4 prefix a private network may have: /8 … /29 (a /29 has five members). */
export const MIN_PREFIX_LEN = 8;
export const MAX_PREFIX_LEN = 29;
/** VNIs Skjold hands out: above the 4095 VLAN ids (so a VNI never reads as one), below 2^24. */
export const VNI_FIRST = 4096;
export const VNI_LAST = 16_777_215;
/** The most private NICs one VM may have (the guest's eth1 … eth4). */
export const MAX_PRIVATE_NICS = 4;

export type RangeProblem =
  | { problem: "syntax" }
  | { problem: "host-bits"; suggestion?: string }
  | { problem: "not-ipv4" }
  | { problem: "too-small"; prefixLen: number }
  | { problem: "too-large"; prefixLen: number }
  | { problem: "not-private" };

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(
  (c) => (parsePrefix(c) as { ok: true; prefix: IpPrefix }).prefix,
);
const inside = (outer: IpPrefix, inner: IpPrefix) =>
  inner.prefixLen >= outer.prefixLen && inner.network >= outer.network && lastOf(inner) <= lastOf(outer);

/** Checks an IPv4 range a tenant asks for: a canonical prefix /8…/29 inside RFC 1918 or RFC 6598 space. */
export function checkRange(text: string): { ok: true; prefix: IpPrefix; cidr: string } | ({ ok: false } & RangeProblem) {
  const parsed = parsePrefix(text.trim());
  if (!parsed.ok)
    return parsed.problem === "host-bits"
      ? { ok: false, problem: "host-bits", suggestion: parsed.suggestion }
      : { ok: false, problem: "syntax" };
  const p = parsed.prefix;
  if (p.family !== 4) return { ok: false, problem: "not-ipv4" };
  if (p.prefixLen > MAX_PREFIX_LEN) return { ok: false, problem: "too-small", prefixLen: p.prefixLen };
  if (p.prefixLen < MIN_PREFIX_LEN) return { ok: false, problem: "too-large", prefixLen: p.prefixLen };
  if (!RFC1918.some((r) => inside(r, p))) return { ok: false, problem: "not-private" };
  return { ok: true, prefix: p, cidr: formatPrefix(p) };
}

/** Checks a ULA /64 (fd00::/8). */
export function checkUla(text: string): { ok: true; cidr: string } | { ok: false } {
  const parsed = parsePrefix(text.trim());
  if (!parsed.ok || parsed.prefix.family !== 6 || parsed.prefix.prefixLen !== 64) return { ok: false };
  if (parsed.prefix.network >> 120n !== 0xfdn) return { ok: false };
  return { ok: true, cidr: formatPrefix(parsed.prefix) };
}

/** A random ULA /64 per RFC 4193: fd, a 40-bit global id, subnet 0. */
export function randomUla(random: () => Buffer = () => randomBytes(5)): string {
  const id = BigInt(`0x${random().toString("hex").padStart(10, "0").slice(0, 10)}`);
  return formatPrefix({ family: 6, network: ((0xfdn << 40n) | id) << 80n, prefixLen: 64 });
}

/** Which of `taken` (the team's other ranges in the region) the prefix overlaps, if any. */
export function overlapping(prefix: IpPrefix, taken: readonly string[]): string | null {
  for (const t of taken) {
    const p = parsePrefix(t);
    if (p.ok && p.prefix.family === 4 && prefixesOverlap(p.prefix, prefix)) return t;
  }
  return null;
}

/** The first 10.x.y.0/24 the team does not use in the region yet (10.0.0.0/24, 10.0.1.0/24, …). */
export function suggestRange(taken: readonly string[]): string | null {
  for (let i = 0n; i < 65_536n; i++) {
    const prefix: IpPrefix = { family: 4, network: (10n << 24n) | (i << 8n), prefixLen: 24 };
    if (!overlapping(prefix, taken)) return formatPrefix(prefix);
  }
  return null;
}

/** The range as ipam.ts's pool: a segment whose .1 is reserved (above). */
export function rangeShape(cidr: string): PoolShape {
  const p = parsePrefix(cidr);
  if (!p.ok || p.prefix.family !== 4) throw new Error(`${cidr} is not an IPv4 prefix`);
  return { family: 4, cidr, kind: "segment", gateway: formatIp({ family: 4, value: p.prefix.network + 1n }) };
}

/** The next member's IPv4 (lowest free, after .1), or null when the range is full. */
export function pickPrivateAddress(cidr: string, taken: ReadonlySet<string>): string | null {
  return pickFreeUnit(rangeShape(cidr), taken);
}

/** The member's IPv6 in the ULA /64: the prefix plus its IPv4 host number. */
export function ulaAddressOf(ula: string, cidr: string, ipv4: string): string {
  const u = parsePrefix(ula);
  const r = parsePrefix(cidr);
  const a = parseIp(ipv4);
  if (!u.ok || !r.ok || !a) throw new Error(`cannot place ${ipv4} of ${cidr} in ${ula}`);
  return formatIp({ family: 6, value: u.prefix.network + (a.value - r.prefix.network) });
}

/** The lowest VNI not in `taken`. */
export function pickVni(taken: ReadonlySet<number>): number | null {
  for (let v = VNI_FIRST; v <= VNI_LAST; v++) if (!taken.has(v)) return v;
  return null;
}
