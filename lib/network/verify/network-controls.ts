import { control, type ControlResult } from "../../guest/report";
import type { GuestNicSetup } from "../host-nic";
import { canonicalIp, formatIp, parseIp } from "../ip";

// The network controls of a VM's hardening report, from both sides: what the host enforces on the
// guest's tap (read from the host's own ruleset, outside the guest's reach), and which addresses the
// guest really carries. Pure: evidence in, controls out.

export interface HostNicEvidence {
  /** `nft list chain` of the guest's chain (empty when it does not exist) */
  chain: string;
  /** `nft list map … ingress`: whether the tap is sent into that chain */
  map: string;
  /** routed: the arp family's chain for the tap */
  arpChain: string;
  /** `ip -o link show dev <tap>` */
  link: string;
}

const REFS_SPOOF = ["BCP 38 (RFC 2827) source address validation", "seed §4 (defence in depth)"];
const REFS_ROGUE = ["RFC 6105 (IPv6 RA-Guard)", "seed §4 (defence in depth)"];

export function evaluateNetworkControls(opts: { nic: GuestNicSetup; host: HostNicEvidence; guestAddresses: string[] }): ControlResult[] {
  const { nic, host } = opts;
  const chain = host.chain;
  const has = (s: string) => chain.includes(s);
  const jumped = host.map.includes(`"${nic.tap}" : jump vm_${nic.tap}`);
  const macPinned = has(`ether saddr != ${nic.mac} drop`);
  const v4Pinned = nic.ipv4 ? has(`ip saddr != ${nic.ipv4} drop`) : has("ip drop") || has("ether type ip drop");
  const v6Pinned = nic.ipv6 ? has("ip6 saddr != {") && has(nic.ipv6) : has("ip6 saddr != { ::, fe80::/10 }");
  const arpPinned =
    nic.mode === "routed"
      ? nic.ipv4
        ? host.arpChain.includes(`arp saddr ip != ${nic.ipv4} drop`)
        : host.arpChain.includes("drop")
      : nic.ipv4
        ? has(`arp saddr ip != ${nic.ipv4} drop`)
        : has("arp drop");
  const naPinned = has("icmpv6 type nd-neighbor-advert");
  const tapUp = /state UP|LOWER_UP/.test(host.link) || host.link.includes(nic.tap);

  const assigned = [nic.ipv4, nic.mode === "routed" && nic.ipv6RoutedPrefix ? routedGuestAddress(nic.ipv6RoutedPrefix) : nic.ipv6]
    .filter((a): a is string => Boolean(a))
    .map((a) => canonicalIp(a) ?? a);
  const carried = opts.guestAddresses.map((a) => canonicalIp(a.split("/")[0]!) ?? a);
  const strangers = carried.filter((a) => !assigned.includes(a));
  const missing = assigned.filter((a) => !carried.includes(a));

  return [
    control({
      id: "net.antispoof",
      title: "The host lets the guest send only from its own MAC and addresses, and answer ARP and ND only for them",
      references: REFS_SPOOF,
      evidence: [
        `${nic.mode} tap ${nic.tap}: ${tapUp ? "present" : "missing"}`,
        `filter ${jumped ? "attached" : "NOT attached"}`,
        `MAC ${macPinned ? "pinned" : "not pinned"}`,
        `IPv4 ${v4Pinned ? "pinned" : "not pinned"}`,
        `IPv6 ${v6Pinned ? "pinned" : "not pinned"}`,
        `ARP ${arpPinned ? "pinned" : "not pinned"}`,
        `ND ${naPinned ? "pinned" : "not pinned"}`,
      ].join("; "),
      ok: tapUp && jumped && macPinned && v4Pinned && v6Pinned && arpPinned && naPinned,
    }),
    control({
      id: "net.no-rogue-services",
      title: "The guest cannot act as a DHCP server or send router advertisements or redirects",
      references: REFS_ROGUE,
      evidence: `DHCP/DHCPv6 server ports ${has("udp sport { 67, 547 } drop") ? "dropped" : "open"}; RA and redirects ${has("nd-router-advert") ? "dropped" : "allowed"}`,
      ok: jumped && has("udp sport { 67, 547 } drop") && has("nd-router-advert"),
    }),
    control({
      id: "net.guest-addresses",
      title: "The guest carries exactly the public addresses Skjold assigned",
      references: ["seed §4"],
      evidence: `assigned ${assigned.join(", ") || "none"}; carried ${carried.join(", ") || "none"}`,
      ok: missing.length === 0 && strangers.length === 0,
    }),
  ];
}

/** The routed guest's own address in its /64: the ::1 (as lib/network/ipam.ts guestAddressOf gives it). */
function routedGuestAddress(prefix: string): string {
  const network = parseIp(prefix.split("/")[0]!);
  return network ? formatIp({ family: 6, value: network.value + 1n }) : prefix;
}
