import { z } from "zod";
import type { HostContext } from "../libvirt/virsh";

// Whether a host can really give its guests addresses in the mode an admin chose: the uplink or
// bridge exists (and a bridge is a bridge), a routed host forwards IPv4 and IPv6, a bridged one hands
// its frames to netfilter (the host firewall needs conntrack on them), /dev/net/tun is
// there, and Skjold's host user may run `ip` and `nft` as root. One SSH exec, parsed strictly.

export type HostNetworkMode = "USER_FORWARD" | "ROUTED" | "BRIDGED";

const SCRIPT = `set -u
dev=$1
if [ -n "$dev" ]; then printf 'link=%s\\n' "$(ip -j -d link show dev "$dev" 2>/dev/null | tr -d '\\n')"; else echo 'link='; fi
printf 'forward4=%s\\n' "$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)"
printf 'forward6=%s\\n' "$(cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null)"
printf 'bridge_nf4=%s\\n' "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null)"
printf 'bridge_nf6=%s\\n' "$(cat /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null)"
[ -c /dev/net/tun ] && echo tun=yes || echo tun=no
sudo -n ip -V >/dev/null 2>&1 && echo sudo_ip=yes || echo sudo_ip=no
sudo -n nft list tables >/dev/null 2>&1 && echo sudo_nft=yes || echo sudo_nft=no
`;

const LinkSchema = z.array(
  z.object({ ifname: z.string(), operstate: z.string().optional(), linkinfo: z.object({ info_kind: z.string().optional() }).optional() }),
);

export interface HostNetworkFacts {
  link: z.infer<typeof LinkSchema>[number] | null;
  forward4: boolean;
  forward6: boolean;
  /** bridged frames pass the inet hooks (br_netfilter, bridge-nf-call-ip(6)tables = 1): the host firewall needs it */
  bridgeNf: boolean;
  tun: boolean;
  sudoIp: boolean;
  sudoNft: boolean;
}

/** Parses the check script's output; anything unexpected is an error, not a guess. */
function parseHostNetworkFacts(stdout: string): HostNetworkFacts {
  const kv = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const m = /^([a-z_0-9]+)=(.*)$/.exec(line);
    if (m) kv.set(m[1]!, m[2]!);
  }
  for (const k of ["link", "forward4", "forward6", "tun", "sudo_ip", "sudo_nft"])
    if (!kv.has(k)) throw new Error(`network check printed no ${k}=`);
  const linkText = kv.get("link")!;
  const link = linkText ? (LinkSchema.parse(JSON.parse(linkText))[0] ?? null) : null;
  return {
    link,
    forward4: kv.get("forward4") === "1",
    forward6: kv.get("forward6") === "1",
    bridgeNf: kv.get("bridge_nf4") === "1" && kv.get("bridge_nf6") === "1",
    tun: kv.get("tun") === "yes",
    sudoIp: kv.get("sudo_ip") === "yes",
    sudoNft: kv.get("sudo_nft") === "yes",
  };
}

/** What is wrong for `mode`, each problem with the field it concerns; empty when the host is ready. */
export function hostNetworkProblems(opts: {
  mode: HostNetworkMode;
  device: string | null;
  facts: HostNetworkFacts;
}): { field: string; message: string }[] {
  const { mode, device, facts } = opts;
  if (mode === "USER_FORWARD") return [];
  const out: { field: string; message: string }[] = [];
  const field = mode === "ROUTED" ? "uplink" : "bridge";
  if (!device) out.push({ field, message: `a ${mode.toLowerCase()} host needs its ${field} interface` });
  else if (!facts.link) out.push({ field, message: `the host has no interface ${device}` });
  else if (mode === "BRIDGED" && facts.link.linkinfo?.info_kind !== "bridge")
    out.push({ field, message: `${device} is not a bridge (it is ${facts.link.linkinfo?.info_kind ?? "a plain interface"})` });
  if (mode === "ROUTED" && !facts.forward4) out.push({ field: "uplink", message: "IPv4 forwarding is off (sysctl net.ipv4.ip_forward=1)" });
  if (mode === "ROUTED" && !facts.forward6)
    out.push({ field: "uplink", message: "IPv6 forwarding is off (sysctl net.ipv6.conf.all.forwarding=1)" });
  if (mode === "BRIDGED" && !facts.bridgeNf)
    out.push({
      field: "bridge",
      message:
        "bridged frames bypass the host firewall: load br_netfilter and set net.bridge.bridge-nf-call-iptables=1 and net.bridge.bridge-nf-call-ip6tables=1",
    });
  if (!facts.tun) out.push({ field: "networkMode", message: "/dev/net/tun is missing, so no tap can be made" });
  if (!facts.sudoIp || !facts.sudoNft) {
    out.push({
      field: "networkMode",
      message: "Skjold's host user may not run `ip` and `nft` as root (sudoers: `<user> ALL=(root) NOPASSWD: /usr/sbin/ip, /usr/sbin/nft`)",
    });
  }
  return out;
}

export async function readHostNetworkFacts(opts: HostContext & { device: string | null }): Promise<HostNetworkFacts> {
  const r = await opts.pool.exec({
    target: opts.target,
    argv: ["sh", "-c", SCRIPT, "skjold-network-check", opts.device ?? ""],
    step: "check the host's network",
  });
  return parseHostNetworkFacts(r.stdout);
}
