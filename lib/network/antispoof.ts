import { hexOf, parseIp, parsePrefix } from "./ip";

// Anti-spoofing on the host, outside the guest's reach: one chain per guest NIC, entered from a map
// keyed by the tap's name, so the rules exist before the tap does and survive the tap being made
// again. Routed taps are filtered where their packets enter the host's IP stack (inet prerouting, and
// arp input for ARP); bridged taps where their frames enter the bridge (bridge prerouting), before the
// bridge forwards them to the segment or to another guest.

export const GUEST_TABLE = "skjold_guests";

export type GuestNicMode = "routed" | "bridged";

export interface GuestNicFilter {
  tap: string;
  mode: GuestNicMode;
  mac: string;
  /** the guest's IPv4 address, or null when it has none */
  ipv4: string | null;
  /** the guest's IPv6 /64 (routed) or /128 address (bridged), or null */
  ipv6: string | null;
}

const TAP = /^s[a-z][0-9a-f]{12}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** The chain of one tap: `vm_<tap>`. */
export const chainOf = (tap: string) => `vm_${tap}`;

function check(f: GuestNicFilter): void {
  if (!TAP.test(f.tap)) throw new Error(`tap name ${f.tap} is not one of Skjold's`);
  if (!MAC.test(f.mac)) throw new Error(`MAC ${f.mac} is not lower-case colon hex`);
  if (f.ipv4 && parseIp(f.ipv4)?.family !== 4) throw new Error(`${f.ipv4} is not an IPv4 address`);
  if (f.ipv6 && !(f.ipv6.includes("/") ? parsePrefix(f.ipv6).ok : parseIp(f.ipv6)?.family === 6)) throw new Error(`${f.ipv6} is not IPv6`);
}

/** Rules of a guest's chain: what a guest may send is its own MAC and addresses, and nothing that serves others. */
function guestRules(f: GuestNicFilter): string[] {
  const bridged = f.mode === "bridged";
  const v4 = bridged ? "ether type ip" : "meta nfproto ipv4";
  const v6 = bridged ? "ether type ip6" : "meta nfproto ipv6";
  const rules = [`ether saddr != ${f.mac} drop`];
  // Only ARP, IPv4 and IPv6 cross a bridge from a guest: no VLAN tags (they would slip past every
  // rule below), no other protocols.
  if (bridged) rules.push("ether type != { arp, ip, ip6 } drop");
  if (bridged)
    rules.push(
      `ether type arp arp saddr ether != ${f.mac} drop`,
      f.ipv4 ? `ether type arp arp saddr ip != ${f.ipv4} drop` : "ether type arp drop",
    );
  rules.push(f.ipv4 ? `${v4} ip saddr != ${f.ipv4} drop` : `${v4} drop`);
  // DHCP and DHCPv6 servers, router advertisements and redirects are the provider's, never a guest's.
  rules.push("udp sport { 67, 547 } drop", "icmpv6 type { nd-router-advert, nd-redirect } drop");
  if (!f.ipv6) {
    // Link-local neighbour discovery only (the guest's kernel speaks it anyway), nothing routable.
    rules.push(`${v6} ip6 saddr != { ::, fe80::/10 } drop`);
    rules.push("icmpv6 type nd-neighbor-advert @th,64,16 != 0xfe80 drop");
    return rules;
  }
  rules.push(`${v6} ip6 saddr != { ::, fe80::/10, ${f.ipv6} } drop`);
  // A neighbour advertisement may only claim the guest's own addresses (or a link-local one).
  if (f.ipv6.includes("/")) {
    const p = parsePrefix(f.ipv6);
    if (!p.ok || p.prefix.prefixLen !== 64) throw new Error(`${f.ipv6}: a routed guest prefix is a /64`);
    rules.push(`icmpv6 type nd-neighbor-advert @th,64,16 != 0xfe80 @th,64,64 != ${hexOf(p.prefix.network >> 64n, 64)} drop`);
  } else {
    rules.push(`icmpv6 type nd-neighbor-advert @th,64,16 != 0xfe80 @th,64,128 != ${hexOf(parseIp(f.ipv6)!.value, 128)} drop`);
  }
  return rules;
}

/** `nft` wants an empty chain's braces on lines of their own. */
const declareChain = (table: string, chain: string) => [`table ${table} {`, `  chain ${chain} {`, "  }", "}"];

const family = (mode: GuestNicMode) => (mode === "bridged" ? "bridge" : "inet");

/** The shared tables and hooks, declared so that re-applying them is a no-op (rules flushed and re-added). */
function baseTables(mode: GuestNicMode): string[] {
  const t = `${family(mode)} ${GUEST_TABLE}`;
  const hook = mode === "bridged" ? "prerouting priority -300" : "prerouting priority raw";
  const out = [
    `table ${t} {`,
    "  map ingress { type ifname : verdict; }",
    `  chain prerouting { type filter hook ${hook}; policy accept; }`,
    "}",
    `flush chain ${t} prerouting`,
    `add rule ${t} prerouting iifname vmap @ingress`,
  ];
  if (mode === "routed") {
    out.push(
      `table arp ${GUEST_TABLE} {`,
      "  map ingress { type ifname : verdict; }",
      "  chain input { type filter hook input priority filter; policy accept; }",
      "}",
      `flush chain arp ${GUEST_TABLE} input`,
      `add rule arp ${GUEST_TABLE} input iifname vmap @ingress`,
    );
  }
  return out;
}

/**
 * An nft script (for `nft -f -`, one atomic transaction) that installs or replaces the filter of one
 * guest NIC. Safe to apply again: it converges on the same ruleset.
 */
export function buildGuestFilter(f: GuestNicFilter): string {
  check(f);
  const t = `${family(f.mode)} ${GUEST_TABLE}`;
  const chain = chainOf(f.tap);
  const lines = [...baseTables(f.mode), ...declareChain(t, chain), `flush chain ${t} ${chain}`];
  for (const r of guestRules(f)) lines.push(`add rule ${t} ${chain} ${r}`);
  if (f.mode === "routed") {
    // A routed guest reaches the host itself only for neighbour discovery and ICMP: the hypervisor's
    // own services (its sshd, libvirt) are not the tenant's to knock on.
    lines.push(`add rule ${t} ${chain} fib daddr type local meta l4proto != { icmp, ipv6-icmp } drop`);
  }
  lines.push(`add element ${t} ingress { "${f.tap}" : jump ${chain} }`);
  if (f.mode === "routed") {
    lines.push(...declareChain(`arp ${GUEST_TABLE}`, chain), `flush chain arp ${GUEST_TABLE} ${chain}`);
    lines.push(`add rule arp ${GUEST_TABLE} ${chain} arp saddr ether != ${f.mac} drop`);
    lines.push(`add rule arp ${GUEST_TABLE} ${chain} ${f.ipv4 ? `arp saddr ip != ${f.ipv4} drop` : "drop"}`);
    lines.push(`add element arp ${GUEST_TABLE} ingress { "${f.tap}" : jump ${chain} }`);
  }
  return `${lines.join("\n")}\n`;
}

/** An nft script that removes one guest NIC's filter; it declares what it deletes, so it is safe to repeat. */
export function buildGuestFilterRemoval(opts: { tap: string; mode: GuestNicMode }): string {
  if (!TAP.test(opts.tap)) throw new Error(`tap name ${opts.tap} is not one of Skjold's`);
  const chain = chainOf(opts.tap);
  const families = opts.mode === "routed" ? ["inet", "arp"] : ["bridge"];
  const lines: string[] = [];
  for (const fam of families) {
    const t = `${fam} ${GUEST_TABLE}`;
    lines.push(`table ${t} {`, "  map ingress { type ifname : verdict; }", "}", ...declareChain(t, chain));
    lines.push(`add element ${t} ingress { "${opts.tap}" : jump ${chain} }`, `delete element ${t} ingress { "${opts.tap}" }`);
    lines.push(`flush chain ${t} ${chain}`, `delete chain ${t} ${chain}`);
  }
  return `${lines.join("\n")}\n`;
}
