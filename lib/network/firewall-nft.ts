import { GUEST_TABLE, type GuestNicMode } from "./antispoof";
import { parseIp, parsePrefix } from "./ip";

// A VM's firewall on its host (issue 14), beside the anti-spoofing chains of lib/network/antispoof.ts
// and in the same table name: traffic TO the guest is filtered where the host forwards it (the
// `inet` forward hook), traffic FROM it there too when the outbound default is deny. One chain each
// way per tap (`in_<tap>`, `out_<tap>`), entered from maps:
// - routed: keyed by the tap's name (oifname / iifname), so the rules exist before the tap does;
// - bridged: keyed by the guest's own addresses (the anti-spoofing filter pins them to its tap). The
//   kernel here has no conntrack for the `bridge` family (nf_conntrack_bridge), so bridged frames are
//   filtered where br_netfilter hands them to the IP hooks with their connection state
//   (bridge-nf-call-iptables / -ip6tables = 1, docs/networking.md "Firewall").
// Allowed traffic `return`s rather than `accept`s: a packet between two guests of one host passes
// the receiver's inbound chain and then the sender's outbound chain.
// Skjold's own SSH path to the guest is kept: through the host (JUMP) it starts on the host itself
// and never passes a forward hook; straight from the portal (DIRECT) it is forwarded, so TCP 22 is
// always let in on such a host (the guest's own nftables and sshd still decide who logs in).

export interface FirewallRuleInput {
  protocol: "tcp" | "udp" | "icmp";
  /** tcp/udp: the first and last port (inclusive); icmp: null */
  fromPort: number | null;
  toPort: number | null;
  /** IPv4 and IPv6 prefixes, e.g. 198.51.100.0/24, 2001:db8::/32 (0.0.0.0/0 and ::/0 for everyone) */
  sources: string[];
}

export interface VmFirewallPolicy {
  /** inbound allow rules: what is not allowed (nor a reply, nor neighbour discovery) is dropped */
  inbound: FirewallRuleInput[];
  outbound: "allow" | "deny";
}

export interface VmFirewallTarget {
  tap: string;
  mode: GuestNicMode;
  /** the portal reaches the guest straight (forwarded), not through its host: keep TCP 22 open */
  directSsh: boolean;
  /** bridged: the guest's IPv4 and IPv6 address (the maps' keys); routed: not needed */
  ipv4?: string | null;
  ipv6?: string | null;
}

const TAP = /^s[a-z][0-9a-f]{12}$/;

export const inChainOf = (tap: string) => `in_${tap}`;
export const outChainOf = (tap: string) => `out_${tap}`;

const T = `inet ${GUEST_TABLE}`;

/** Neighbour discovery (and MLD, for snooping bridges) that a bridged guest must send and receive. */
const ND_IN = "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, nd-redirect, mld-listener-query } return";
const ND_OUT =
  "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, mld-listener-report, mld2-listener-report } return";

function checkTap(tap: string): void {
  if (!TAP.test(tap)) throw new Error(`tap name ${tap} is not one of Skjold's`);
}

/** The prefixes of a rule, split by family, each checked again here (the script goes to a root shell). */
function sourcesByFamily(sources: string[]): { v4: string[]; v6: string[] } {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const s of sources) {
    const p = parsePrefix(s);
    if (!p.ok) throw new Error(`${s} is not a prefix`);
    (p.prefix.family === 4 ? v4 : v6).push(s);
  }
  return { v4, v6 };
}

const validPort = (p: number | null): p is number => p !== null && Number.isInteger(p) && p >= 1 && p <= 65535;

/** One rule as nft statements (one per address family it names). */
function ruleLines(rule: FirewallRuleInput): string[] {
  let match: string;
  if (rule.protocol === "icmp") {
    match = "meta l4proto { icmp, ipv6-icmp }";
  } else {
    if (!validPort(rule.fromPort) || !validPort(rule.toPort) || rule.fromPort > rule.toPort)
      throw new Error(`port range ${rule.fromPort}-${rule.toPort} is not valid`);
    const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
    match = `${rule.protocol} dport ${ports}`;
  }
  const { v4, v6 } = sourcesByFamily(rule.sources);
  const out: string[] = [];
  if (v4.length) out.push(`ip saddr { ${v4.join(", ")} } ${match} return`);
  if (v6.length) out.push(`ip6 saddr { ${v6.join(", ")} } ${match} return`);
  return out;
}

/** The rules of the guest's inbound chain, in order; ends in a drop. */
export function inboundRules(target: VmFirewallTarget, policy: VmFirewallPolicy): string[] {
  const rules: string[] = [];
  if (target.mode === "bridged") rules.push(ND_IN);
  rules.push("ct state established,related return");
  if (target.directSsh) rules.push("tcp dport 22 return");
  for (const r of policy.inbound) rules.push(...ruleLines(r));
  rules.push("drop");
  return rules;
}

/** The rules of the guest's outbound chain: nothing (allow) or replies and neighbour discovery only (deny). */
export function outboundRules(target: VmFirewallTarget, policy: VmFirewallPolicy): string[] {
  if (policy.outbound === "allow") return [];
  const rules: string[] = [];
  if (target.mode === "bridged") rules.push(ND_OUT);
  rules.push("ct state established,related return", "drop");
  return rules;
}

const MAPS = [
  "  map to_guest { type ifname : verdict; }",
  "  map from_guest { type ifname : verdict; }",
  "  map to_guest4 { type ipv4_addr : verdict; }",
  "  map to_guest6 { type ipv6_addr : verdict; }",
  "  map from_guest4 { type ipv4_addr : verdict; }",
  "  map from_guest6 { type ipv6_addr : verdict; }",
];

/** The shared forward hook and its maps (both modes'), declared so that applying them again is a no-op. */
function baseForward(): string[] {
  return [
    `table ${T} {`,
    ...MAPS,
    "  chain forward { type filter hook forward priority filter; policy accept; }",
    "}",
    `flush chain ${T} forward`,
    `add rule ${T} forward oifname vmap @to_guest`,
    `add rule ${T} forward ip daddr vmap @to_guest4`,
    `add rule ${T} forward ip6 daddr vmap @to_guest6`,
    `add rule ${T} forward iifname vmap @from_guest`,
    `add rule ${T} forward ip saddr vmap @from_guest4`,
    `add rule ${T} forward ip6 saddr vmap @from_guest6`,
  ];
}

/** The map elements that lead to the tap's chains: by tap (routed) or by the guest's addresses (bridged). */
function elements(target: Pick<VmFirewallTarget, "tap" | "mode" | "ipv4" | "ipv6">): { map: string; key: string; chain: string }[] {
  const inChain = inChainOf(target.tap);
  const outChain = outChainOf(target.tap);
  if (target.mode === "routed")
    return [
      { map: "to_guest", key: `"${target.tap}"`, chain: inChain },
      { map: "from_guest", key: `"${target.tap}"`, chain: outChain },
    ];
  const out: { map: string; key: string; chain: string }[] = [];
  if (target.ipv4) {
    if (parseIp(target.ipv4)?.family !== 4) throw new Error(`${target.ipv4} is not an IPv4 address`);
    out.push({ map: "to_guest4", key: target.ipv4, chain: inChain }, { map: "from_guest4", key: target.ipv4, chain: outChain });
  }
  if (target.ipv6) {
    if (parseIp(target.ipv6)?.family !== 6) throw new Error(`${target.ipv6} is not an IPv6 address`);
    out.push({ map: "to_guest6", key: target.ipv6, chain: inChain }, { map: "from_guest6", key: target.ipv6, chain: outChain });
  }
  return out;
}

const declare = (t: string, chains: string[]) => [`table ${t} {`, ...chains.flatMap((c) => [`  chain ${c} {`, "  }"]), "}"];

/**
 * An nft script (for `nft -f -`, one atomic transaction) that installs or replaces the firewall of one
 * VM's tap: both chains flushed and filled in the same batch, so no packet ever meets half a ruleset.
 * Safe to apply again.
 */
export function buildVmFirewall(target: VmFirewallTarget, policy: VmFirewallPolicy): string {
  checkTap(target.tap);
  const inChain = inChainOf(target.tap);
  const outChain = outChainOf(target.tap);
  const els = elements(target);
  if (target.mode === "bridged" && !els.length) throw new Error("a bridged guest's firewall needs its addresses");
  const lines = [...baseForward(), ...declare(T, [inChain, outChain])];
  lines.push(`flush chain ${T} ${inChain}`, `flush chain ${T} ${outChain}`);
  for (const r of inboundRules(target, policy)) lines.push(`add rule ${T} ${inChain} ${r}`);
  for (const r of outboundRules(target, policy)) lines.push(`add rule ${T} ${outChain} ${r}`);
  // Added, deleted and added again: an element left by an earlier guest of the address is replaced.
  for (const e of els)
    lines.push(
      `add element ${T} ${e.map} { ${e.key} : jump ${e.chain} }`,
      `delete element ${T} ${e.map} { ${e.key} }`,
      `add element ${T} ${e.map} { ${e.key} : jump ${e.chain} }`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * An nft script that takes one tap's firewall out of the path: its map elements deleted (declared
 * first, so it is safe to repeat) and its chains emptied. A bridged guest's elements are keyed by its
 * addresses: without them the chains are only emptied (an element left behind leads to an empty
 * chain, which lets everything through, and is replaced when the address goes to a guest with a
 * firewall). The empty chains are deleted by `buildVmFirewallChainDeletion`, a batch of its own that
 * may fail while a stale element still names them without undoing this one.
 */
export function buildVmFirewallRemoval(target: Pick<VmFirewallTarget, "tap" | "mode" | "ipv4" | "ipv6">): string {
  checkTap(target.tap);
  const inChain = inChainOf(target.tap);
  const outChain = outChainOf(target.tap);
  const lines = [`table ${T} {`, ...MAPS, "}", ...declare(T, [inChain, outChain])];
  for (const e of elements(target))
    lines.push(`add element ${T} ${e.map} { ${e.key} : jump ${e.chain} }`, `delete element ${T} ${e.map} { ${e.key} }`);
  lines.push(`flush chain ${T} ${inChain}`, `flush chain ${T} ${outChain}`);
  return `${lines.join("\n")}\n`;
}

/** Deletes the tap's (emptied) firewall chains; run after `buildVmFirewallRemoval`, safe to repeat. */
export function buildVmFirewallChainDeletion(tap: string): string {
  checkTap(tap);
  const chains = [inChainOf(tap), outChainOf(tap)];
  return `${[...declare(T, chains), ...chains.map((c) => `delete chain ${T} ${c}`)].join("\n")}\n`;
}
