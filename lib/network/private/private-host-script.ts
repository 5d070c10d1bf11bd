import { quoteArg } from "../../ssh/quote";
import { buildGuestFilter, buildGuestFilterRemoval } from "../antispoof";
import { heredoc } from "../host-nic";
import { parseIp } from "../ip";
import { VNI_FIRST, VNI_LAST } from "./private-range";

// The host side of private networks, as scripts for `sh -s` on a host (one SSH round trip each).
//
// Per network and host: a Linux bridge `skb<vni>` with no address of the host's on it (gateway-less;
// `addrgenmode none` keeps even a link-local IPv6 off it, so the host is not a member of the tenant's
// segment), and a VXLAN device `skx<vni>` (VNI = the network's, UDP 4789) on the host's underlay
// address, enslaved to it. Head-end replication: broadcast, unknown unicast and multicast go to every
// other member host by one all-zero FDB entry per peer; unicast MACs are learned from what arrives,
// so known unicast goes to the one host behind it. Two teams' networks are two VNIs and two bridges
// even when their ranges are the same: no frame crosses between them on a host or on the wire.
//
// Per VM NIC: a tap `s<slot letter><domain hex>` on that bridge with the same anti-spoofing chain as a
// bridged public NIC (its own MAC, IPv4 and IPv6 only; no DHCP server, RA or VLAN tags), MTU 1450
// (VXLAN's 50 bytes of headers inside the underlay's 1500).

/** VXLAN headers over IPv4: outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
export const PRIVATE_MTU = 1450;
export const VXLAN_PORT = 4789;
const ZERO_MAC = "00:00:00:00:00:00";
const SLOT_LETTERS = "pqrs";

export const bridgeOfVni = (vni: number) => `skb${checkVni(vni)}`;
export const vxlanOfVni = (vni: number) => `skx${checkVni(vni)}`;

/** A VM's tap on its `slot`th private network (1…4): `sp`, `sq`, `sr`, `ss` + the domain's 12 hex digits. */
export function privateTapOf(domainName: string, slot: number): string {
  const letter = SLOT_LETTERS[slot - 1];
  if (!letter || !Number.isInteger(slot)) throw new Error(`private NIC slot ${slot} is not 1…${SLOT_LETTERS.length}`);
  return `s${letter}${domainName.replace(/^skj-/, "")}`;
}
/** Every private tap name a VM may have, for a removal that must not miss a half-made one. */
export const allPrivateTapsOf = (domainName: string) => [...SLOT_LETTERS].map((_, i) => privateTapOf(domainName, i + 1));

function checkVni(vni: number): number {
  if (!Number.isInteger(vni) || vni < VNI_FIRST || vni > VNI_LAST) throw new Error(`VNI ${vni} is outside ${VNI_FIRST}…${VNI_LAST}`);
  return vni;
}

function checkV4(address: string, what: string): string {
  if (parseIp(address)?.family !== 4) throw new Error(`${what} ${address} is not an IPv4 address`);
  return address;
}

export interface PrivateSegment {
  vni: number;
  /** this host's underlay address (the VXLAN source) */
  local: string;
  /** the underlay addresses of the region's other hosts with members on the network */
  peers: readonly string[];
}

/**
 * Creates (or converges) the network's bridge and VXLAN device on a host and sets its flood list to
 * exactly `peers`: entries for hosts that left are deleted, new ones appended. Safe to repeat and to
 * run twice at once (a lost race to create a device is a device that exists).
 */
export function buildSegmentSetup(seg: PrivateSegment): string {
  const br = quoteArg(bridgeOfVni(seg.vni));
  const vx = quoteArg(vxlanOfVni(seg.vni));
  const local = quoteArg(checkV4(seg.local, "underlay address"));
  const peers = [...new Set(seg.peers.map((p) => checkV4(p, "peer")))].filter((p) => p !== seg.local).sort();
  return [
    "set -eu",
    // Each change is printed ("created …", "added peer …", "removed peer …"): a run that prints nothing found the segment as it should be.
    `if ! ip link show dev ${br} >/dev/null 2>&1; then sudo -n ip link add ${br} type bridge mcast_snooping 0 && echo "created ${bridgeOfVni(seg.vni)}" || ip link show dev ${br} >/dev/null; fi`,
    `sudo -n ip link set dev ${br} addrgenmode none`,
    `sudo -n ip link set dev ${br} mtu ${PRIVATE_MTU} up`,
    `if ! ip link show dev ${vx} >/dev/null 2>&1; then sudo -n ip link add ${vx} type vxlan id ${seg.vni} local ${local} dstport ${VXLAN_PORT} && echo "created ${vxlanOfVni(seg.vni)}" || ip link show dev ${vx} >/dev/null; fi`,
    `sudo -n ip link set dev ${vx} addrgenmode none`,
    `sudo -n ip link set dev ${vx} mtu ${PRIVATE_MTU} master ${br} up`,
    `want=${quoteArg(peers.join(" "))}`,
    // \`bridge\` lives in /usr/sbin, outside an unprivileged SSH session's PATH: through sudo (its
    // secure_path), and read into a variable first so that a failure stops the script (set -e) instead
    // of reading as "no peers" inside a pipeline.
    `fdb=$(sudo -n bridge fdb show dev ${vx})`,
    `have=$(printf '%s\\n' "$fdb" | awk '$1 == "${ZERO_MAC}" && $2 == "dst" { print $3 }')`,
    `for p in $have; do case " $want " in *" $p "*) ;; *) sudo -n bridge fdb del ${ZERO_MAC} dev ${vx} dst "$p"; echo "removed peer $p" ;; esac; done`,
    `for p in $want; do case " $have " in *" $p "*) ;; *) sudo -n bridge fdb append ${ZERO_MAC} dev ${vx} dst "$p"; echo "added peer $p" ;; esac; done`,
    "",
  ].join("\n");
}

/** Removes the network's bridge and VXLAN device from a host, unless a tap still hangs on the bridge. Safe to repeat. */
export function buildSegmentRemoval(vni: number): string {
  const br = quoteArg(bridgeOfVni(vni));
  const vx = quoteArg(vxlanOfVni(vni));
  return [
    "set -eu",
    `ip link show dev ${br} >/dev/null 2>&1 || exit 0`,
    `if ip -o link show master ${br} | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep -vqx ${vx}; then echo "${bridgeOfVni(vni)} still has ports" >&2; exit 0; fi`,
    `if ip link show dev ${vx} >/dev/null 2>&1; then sudo -n ip link del dev ${vx}; fi`,
    `sudo -n ip link del dev ${br}`,
    "",
  ].join("\n");
}

export interface PrivateNicSetup {
  tap: string;
  vni: number;
  mac: string;
  ipv4: string;
  ipv6: string | null;
}

/** The VM's tap on the network's bridge, its anti-spoofing chain first (the segment must exist: buildSegmentSetup). */
export function buildPrivateNicSetup(nic: PrivateNicSetup): string {
  const tap = quoteArg(nic.tap);
  const filter = buildGuestFilter({ tap: nic.tap, mode: "bridged", mac: nic.mac, ipv4: checkV4(nic.ipv4, "address"), ipv6: nic.ipv6 });
  return [
    "set -eu",
    `ip link show dev ${tap} >/dev/null 2>&1 || sudo -n ip tuntap add dev ${tap} mode tap`,
    `sudo -n nft -f - ${heredoc("SKJOLD_NFT", filter)}`,
    // Said when the tap was not on its bridge (made now, or taken off by hand): a converge reports it.
    `ip -o link show dev ${tap} | grep -q ${quoteArg(` master ${bridgeOfVni(nic.vni)} `)} || echo "attached ${nic.tap} to ${bridgeOfVni(nic.vni)}"`,
    `sudo -n ip link set dev ${tap} mtu ${PRIVATE_MTU} master ${quoteArg(bridgeOfVni(nic.vni))} up`,
    "",
  ].join("\n");
}

/** Removes private taps (their bridge ports go with them) and their filters. Safe to repeat. */
export function buildPrivateNicRemoval(taps: readonly string[]): string {
  const lines = ["set -eu"];
  for (const t of taps) {
    const tap = quoteArg(t);
    lines.push(`if ip link show dev ${tap} >/dev/null 2>&1; then sudo -n ip link del dev ${tap}; fi`);
    lines.push(`sudo -n nft -f - ${heredoc("SKJOLD_NFT", buildGuestFilterRemoval({ tap: t, mode: "bridged" }))}`);
  }
  return `${lines.join("\n")}\n`;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const TAP = /^s[pqrs][0-9a-f]{12}$/;

/** The libvirt interface of a private NIC (for attach-device / detach-device): Skjold's tap, virtio. */
export function buildPrivateNicXml(nic: { tap: string; mac: string }): string {
  if (!TAP.test(nic.tap)) throw new Error(`tap name ${nic.tap} is not a private NIC's`);
  if (!MAC.test(nic.mac)) throw new Error(`MAC ${nic.mac} is not lower-case colon hex`);
  return `<interface type='ethernet'>\n  <mac address='${nic.mac}'/>\n  <target dev='${nic.tap}' managed='no'/>\n  <model type='virtio'/>\n</interface>\n`;
}

/** Where the guest keeps a NIC attached after its first boot (cloud-init configured only those it booted with). */
export const guestPrivateNicFile = (slot: number) => `/etc/network/interfaces.d/60-skjold-private-${slot}`;

/**
 * Run as root in the guest after a private NIC was hot-plugged: finds it by MAC (waiting up to 20 s
 * for the kernel to announce it), addresses it now and writes the ifupdown stanza that keeps it so
 * across reboots. Gateway-less, MTU 1450.
 */
export function buildGuestPrivateNicUp(nic: { slot: number; mac: string; ipv4: string; prefixLen: number; ipv6: string | null }): string {
  if (!MAC.test(nic.mac)) throw new Error(`MAC ${nic.mac} is not lower-case colon hex`);
  checkV4(nic.ipv4, "address");
  if (!Number.isInteger(nic.prefixLen) || nic.prefixLen < 8 || nic.prefixLen > 29) throw new Error(`prefix length ${nic.prefixLen}`);
  if (nic.ipv6 && parseIp(nic.ipv6)?.family !== 6) throw new Error(`${nic.ipv6} is not IPv6`);
  const file = guestPrivateNicFile(nic.slot);
  const stanza = [
    "auto $dev",
    "iface $dev inet static",
    `    address ${nic.ipv4}/${nic.prefixLen}`,
    `    mtu ${PRIVATE_MTU}`,
    ...(nic.ipv6 ? ["iface $dev inet6 static", `    address ${nic.ipv6}/64`, "    dad-attempts 0"] : []),
  ];
  return [
    "set -eu",
    "dev=",
    "for i in $(seq 1 20); do",
    `  for d in /sys/class/net/*; do [ "$(cat "$d/address")" = ${quoteArg(nic.mac)} ] && dev=$(basename "$d"); done`,
    '  [ -n "$dev" ] && break; sleep 1',
    "done",
    `[ -n "$dev" ] || { echo "no NIC with MAC ${nic.mac}" >&2; exit 1; }`,
    `printf '%s\\n' ${stanza.map((l) => `"${l}"`).join(" ")} > ${quoteArg(file)}`,
    `ip link set dev "$dev" mtu ${PRIVATE_MTU} up`,
    `ip addr replace ${quoteArg(`${nic.ipv4}/${nic.prefixLen}`)} dev "$dev"`,
    ...(nic.ipv6 ? [`ip -6 addr replace ${quoteArg(`${nic.ipv6}/64`)} dev "$dev" nodad`] : []),
    'echo "$dev"',
    "",
  ].join("\n");
}
