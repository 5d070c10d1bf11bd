import { isIPv4, isIPv6 } from "node:net";

// IP addresses and prefixes as numbers: parsing that refuses anything ambiguous, RFC 5952 text for
// IPv6, and the arithmetic IPAM needs (containment, overlap, the n-th address or sub-prefix).

export type IpFamily = 4 | 6;
export interface IpAddress {
  family: IpFamily;
  value: bigint;
}
export interface IpPrefix {
  family: IpFamily;
  /** the network address (host bits zero) */
  network: bigint;
  prefixLen: number;
}

export const bitsOf = (family: IpFamily) => (family === 4 ? 32 : 128);

function parseV6(text: string): bigint {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const words = (s: string | undefined) => (s ? s.split(":") : []);
  const left = words(head);
  const right = words(tail);
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill("0"), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses a plain IPv4 or IPv6 address (no zone, no embedded IPv4); null when it is not one. */
export function parseIp(text: string): IpAddress | null {
  if (isIPv4(text) && /^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    return { family: 4, value: text.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  }
  if (isIPv6(text) && /^[0-9a-fA-F:]+$/.test(text)) return { family: 6, value: parseV6(text) };
  return null;
}

/** Dotted quad, or RFC 5952 text for IPv6 (lower case, the longest run of zero groups as ::). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.len).join(":")}`;
}

const mask = (family: IpFamily, prefixLen: number) => {
  const bits = BigInt(bitsOf(family));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefixLen))) - 1n);
};

export type PrefixProblem = "syntax" | "host-bits";

/**
 * Parses `address/len`. Host bits must be zero ("203.0.113.5/24" is refused with the network it
 * probably meant), so a prefix always means exactly one range.
 */
export function parsePrefix(text: string): { ok: true; prefix: IpPrefix } | { ok: false; problem: PrefixProblem; suggestion?: string } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  const ip = m ? parseIp(m[1]!) : null;
  const len = m ? Number(m[2]) : NaN;
  if (!ip || !(len >= 0 && len <= bitsOf(ip.family))) return { ok: false, problem: "syntax" };
  const network = ip.value & mask(ip.family, len);
  if (network !== ip.value)
    return { ok: false, problem: "host-bits", suggestion: formatPrefix({ family: ip.family, network, prefixLen: len }) };
  return { ok: true, prefix: { family: ip.family, network, prefixLen: len } };
}

export const formatPrefix = (p: IpPrefix) => `${formatIp({ family: p.family, value: p.network })}/${p.prefixLen}`;

/** How many addresses the prefix spans. */
const prefixSize = (p: IpPrefix) => 1n << BigInt(bitsOf(p.family) - p.prefixLen);
export const lastOf = (p: IpPrefix) => p.network + prefixSize(p) - 1n;

export function prefixContains(p: IpPrefix, ip: IpAddress): boolean {
  return ip.family === p.family && ip.value >= p.network && ip.value <= lastOf(p);
}

export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  return a.family === b.family && a.network <= lastOf(b) && b.network <= lastOf(a);
}

/** The sub-prefix of length `len` that holds `ip` (e.g. the /64 an IPv6 address lies in). */
export function enclosingPrefix(ip: IpAddress, len: number): IpPrefix {
  return { family: ip.family, network: ip.value & mask(ip.family, len), prefixLen: len };
}

/** Canonical text of an address string, or null when it is not an address. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : null;
}

/** The 16-bit groups of an IPv6 value as one hex number, for nftables raw payload matches. */
export const hexOf = (value: bigint, bits: number) => `0x${value.toString(16).padStart(bits / 4, "0")}`;
