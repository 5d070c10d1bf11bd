import { quoteArg } from "../ssh/quote";
import { buildGuestFilter, buildGuestFilterRemoval, type GuestNicFilter } from "./antispoof";
import {
  buildVmFirewall,
  buildVmFirewallChainDeletion,
  buildVmFirewallRemoval,
  type VmFirewallPolicy,
  type VmFirewallTarget,
} from "./firewall-nft";

// The host side of a guest's NIC, as one script for `sh -s` on the host (one SSH round trip). Skjold
// makes the tap itself (persistent, `managed='no'` in the domain), so its routes, bridge port and
// filter outlive the guest's restarts and exist before the guest's first packet. Only `ip` and `nft`
// run as root (`sudo -n`); everything else runs as Skjold's host user.

/** The on-link gateway a routed guest is given: the host answers it on every guest's tap. */
export const ROUTED_GATEWAY_V4 = "169.254.0.1";
export const ROUTED_GATEWAY_V6 = "fe80::1";

export interface GuestNicSetup extends GuestNicFilter {
  /** bridged: the host bridge the tap joins */
  bridge?: string | null;
  /** routed: the guest's IPv6 /64 routed to the tap (the guest takes its ::1) */
  ipv6RoutedPrefix?: string | null;
}

const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;

export function heredoc(tag: string, body: string): string {
  if (body.split("\n").includes(tag)) throw new Error(`here-document body contains its tag ${tag}`);
  return `<<'${tag}'\n${body}${body.endsWith("\n") ? "" : "\n"}${tag}`;
}

/** Creates (or converges) the tap, its addresses and routes or bridge port, and its anti-spoofing filter. */
export function buildGuestNicSetup(nic: GuestNicSetup): string {
  const tap = quoteArg(nic.tap);
  const lines = ["set -eu", `ip link show dev ${tap} >/dev/null 2>&1 || sudo -n ip tuntap add dev ${tap} mode tap`];
  // The filter first: the guest cannot send a frame before its rules are in place.
  lines.push(`sudo -n nft -f - ${heredoc("SKJOLD_NFT", buildGuestFilter(nic))}`);
  if (nic.mode === "bridged") {
    if (!nic.bridge || !IFNAME.test(nic.bridge)) throw new Error("a bridged NIC needs the host bridge's name");
    lines.push(`sudo -n ip link set dev ${tap} master ${quoteArg(nic.bridge)} up`);
  } else {
    lines.push(`sudo -n ip link set dev ${tap} up`);
    lines.push(`sudo -n ip addr replace ${ROUTED_GATEWAY_V4}/32 dev ${tap}`);
    lines.push(`sudo -n ip -6 addr replace ${ROUTED_GATEWAY_V6}/64 dev ${tap} nodad`);
    if (nic.ipv4) lines.push(`sudo -n ip route replace ${quoteArg(`${nic.ipv4}/32`)} dev ${tap}`);
    if (nic.ipv6RoutedPrefix) lines.push(`sudo -n ip -6 route replace ${quoteArg(nic.ipv6RoutedPrefix)} dev ${tap}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The lines that take a tap's firewall away: elements and rules in one batch, then its empty chains. */
function firewallRemovalLines(target: Pick<VmFirewallTarget, "tap" | "mode" | "ipv4" | "ipv6">): string[] {
  return [
    `sudo -n nft -f - ${heredoc("SKJOLD_NFT", buildVmFirewallRemoval(target))}`,
    // Refused only while a stale element (a bridged guest removed without its addresses) names them.
    `{ sudo -n nft -f - 2>/dev/null || true; } ${heredoc("SKJOLD_NFT", buildVmFirewallChainDeletion(target.tap))}`,
  ];
}

/**
 * Removes the tap (its routes and bridge port go with it), its anti-spoofing filter and its firewall.
 * A bridged guest's firewall is keyed by its addresses: pass them when they are known. Safe to repeat.
 */
export function buildGuestNicRemoval(opts: {
  tap: string;
  mode: GuestNicSetup["mode"];
  ipv4?: string | null;
  ipv6?: string | null;
}): string {
  const tap = quoteArg(opts.tap);
  return [
    "set -eu",
    `if ip link show dev ${tap} >/dev/null 2>&1; then sudo -n ip link del dev ${tap}; fi`,
    `sudo -n nft -f - ${heredoc("SKJOLD_NFT", buildGuestFilterRemoval(opts))}`,
    ...firewallRemovalLines(opts),
    "",
  ].join("\n");
}

/**
 * Installs or replaces a VM's firewall on its host in one `nft -f` batch (both chains flushed and
 * filled together), or, with no policy, takes it away. Safe to repeat.
 */
export function buildGuestFirewallScript(opts: { target: VmFirewallTarget; policy: VmFirewallPolicy | null }): string {
  const lines = ["set -eu"];
  if (opts.policy) lines.push(`sudo -n nft -f - ${heredoc("SKJOLD_NFT", buildVmFirewall(opts.target, opts.policy))}`);
  else lines.push(...firewallRemovalLines(opts.target));
  return `${lines.join("\n")}\n`;
}
