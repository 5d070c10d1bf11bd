import type { GuestHardening } from "../inputs";

export const NFTABLES_PATH = "/etc/nftables.conf";
export const NFT_TABLE = "skjold";

const set = (cidrs: string[], family: "v4" | "v6") => cidrs.filter((c) => (family === "v6") === c.includes(":")).join(", ");

/** `ip saddr { … } <rule>` lines for a list of addresses, split by family; nothing when the list is empty. */
function matching(cidrs: string[], rule: string, field: "saddr" | "daddr" = "saddr"): string[] {
  const out: string[] = [];
  const v4 = set(cidrs, "v4");
  const v6 = set(cidrs, "v6");
  if (v4) out.push(`ip ${field} { ${v4} } ${rule}`);
  if (v6) out.push(`ip6 ${field} { ${v6} } ${rule}`);
  return out;
}
const fromSources = (cidrs: string[], rule: string) => matching(cidrs, rule, "saddr");

/**
 * Inbound default-deny in its own table. The file never flushes the whole ruleset: k3s keeps its
 * own iptables-nft tables, and reloading the firewall must not wipe them.
 */
export function renderNftables(opts: GuestHardening): string {
  const k3s = opts.role !== "vm";
  const ssh = opts.sshAllowFrom.length
    ? fromSources(opts.sshAllowFrom, `tcp dport ${opts.sshPort} ct state new accept`)
    : [`tcp dport ${opts.sshPort} ct state new accept`];
  const nodes = opts.k3sNodeCidrs;
  const input = [
    "ct state established,related accept",
    "ct state invalid drop",
    'iifname "lo" accept',
    "ip protocol icmp icmp type { echo-request, destination-unreachable, time-exceeded } limit rate 10/second accept",
    "ip6 nexthdr ipv6-icmp accept",
    ...ssh,
    ...(k3s ? fromSources([opts.clusterCidr, opts.serviceCidr], "accept") : []),
    ...(k3s ? fromSources(nodes, "udp dport 8472 accept") : []),
    ...(k3s ? fromSources(nodes, "tcp dport 10250 accept") : []),
    ...(opts.role === "k3s-server" ? fromSources([...nodes, ...opts.k3sApiAllowFrom], "tcp dport 6443 accept") : []),
  ];
  // Pod and service traffic is forwarded; k3s's own network policy controller filters it further.
  const podNets = [opts.clusterCidr, opts.serviceCidr];
  const forward = k3s
    ? ["ct state established,related accept", ...matching(podNets, "accept", "saddr"), ...matching(podNets, "accept", "daddr")]
    : [];
  const chain = (name: string, hook: string, rules: string[]) => [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority filter; policy drop;`,
    ...rules.map((r) => `    ${r}`),
    "  }",
  ];
  return [
    "#!/usr/sbin/nft -f",
    "# Managed by Skjold: inbound default-deny (CIS Debian 12 section 4.3).",
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    ...chain("input", "input", input),
    ...chain("forward", "forward", forward),
    "  chain output {",
    "    type filter hook output priority filter; policy accept;",
    "  }",
    "}",
    "",
  ].join("\n");
}
