import type { GuestRole } from "../inputs";
import { control, type ControlResult } from "../report";
import type { GuestEvidence } from "./guest-evidence";

type Rule = { id: string; title: string; refs: string[]; keys: string[]; ok: (v: string) => boolean; only?: "vm" | "k3s" };

const eq = (x: string) => (v: string) => v === x;
const dirs = (p: string, k: string) => [`net.${p}.conf.all.${k}`, `net.${p}.conf.default.${k}`];

/** The kernel-parameter controls for a role. Keys under net.ipv6 may be absent when IPv6 is off. */
function rules(role: GuestRole): Rule[] {
  const k3s = role !== "vm";
  return [
    {
      id: "kernel.aslr",
      title: "Address space layout randomisation is full",
      refs: ["CIS Debian 12 1.5.1"],
      keys: ["kernel.randomize_va_space"],
      ok: eq("2"),
    },
    {
      id: "kernel.ptrace-scope",
      title: "ptrace is restricted",
      refs: ["CIS Debian 12 1.5.2"],
      keys: ["kernel.yama.ptrace_scope"],
      ok: (v) => ["1", "2", "3"].includes(v),
    },
    {
      id: "net.ip-forwarding",
      title: k3s ? "Packet forwarding is on for k3s" : "Packet forwarding is off",
      refs: ["CIS Debian 12 3.3.1"],
      keys: ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"],
      ok: eq(k3s ? "1" : "0"),
    },
    {
      id: "net.send-redirects",
      title: "ICMP redirects are not sent",
      refs: ["CIS Debian 12 3.3.2"],
      keys: dirs("ipv4", "send_redirects"),
      ok: eq("0"),
    },
    {
      id: "net.bogus-icmp",
      title: "Bogus ICMP responses are ignored",
      refs: ["CIS Debian 12 3.3.3"],
      keys: ["net.ipv4.icmp_ignore_bogus_error_responses"],
      ok: eq("1"),
    },
    {
      id: "net.broadcast-icmp",
      title: "Broadcast ICMP requests are ignored",
      refs: ["CIS Debian 12 3.3.4"],
      keys: ["net.ipv4.icmp_echo_ignore_broadcasts"],
      ok: eq("1"),
    },
    {
      id: "net.accept-redirects",
      title: "ICMP redirects are not accepted",
      refs: ["CIS Debian 12 3.3.5"],
      keys: [...dirs("ipv4", "accept_redirects"), ...dirs("ipv6", "accept_redirects")],
      ok: eq("0"),
    },
    {
      id: "net.secure-redirects",
      title: "Secure ICMP redirects are not accepted",
      refs: ["CIS Debian 12 3.3.6"],
      keys: dirs("ipv4", "secure_redirects"),
      ok: eq("0"),
    },
    {
      id: "net.rp-filter",
      title: "Reverse path filtering is on",
      refs: ["CIS Debian 12 3.3.7"],
      keys: dirs("ipv4", "rp_filter"),
      ok: (v) => v === "1" || (k3s && v === "2"),
    },
    {
      id: "net.source-route",
      title: "Source-routed packets are refused",
      refs: ["CIS Debian 12 3.3.8"],
      keys: [...dirs("ipv4", "accept_source_route"), ...dirs("ipv6", "accept_source_route")],
      ok: eq("0"),
    },
    {
      id: "net.log-martians",
      title: "Suspicious packets are logged",
      refs: ["CIS Debian 12 3.3.9"],
      keys: dirs("ipv4", "log_martians"),
      ok: eq("1"),
    },
    {
      id: "net.syncookies",
      title: "TCP SYN cookies are on",
      refs: ["CIS Debian 12 3.3.10"],
      keys: ["net.ipv4.tcp_syncookies"],
      ok: eq("1"),
    },
    {
      id: "net.ipv6-router-adverts",
      title: "IPv6 router advertisements are not accepted",
      refs: ["CIS Debian 12 3.3.11"],
      keys: dirs("ipv6", "accept_ra"),
      ok: eq("0"),
    },
    {
      id: "k3s.kubelet-sysctls",
      title: "Kernel defaults the kubelet protects are set",
      refs: ["k3s CIS hardening guide: Host-level requirements"],
      only: "k3s",
      keys: ["vm.panic_on_oom", "vm.overcommit_memory", "kernel.panic", "kernel.panic_on_oops"],
      ok: () => true,
    },
  ];
}

const KUBELET: Record<string, string> = {
  "vm.panic_on_oom": "0",
  "vm.overcommit_memory": "1",
  "kernel.panic": "10",
  "kernel.panic_on_oops": "1",
};

export function kernelControls(e: GuestEvidence, role: GuestRole): ControlResult[] {
  const out = rules(role).map((r) => {
    if (r.only === "k3s" && role === "vm")
      return control({ id: r.id, title: r.title, references: r.refs, evidence: "not a k3s node", ok: null });
    const present = r.keys.filter((k) => k in e.sysctl || !k.startsWith("net.ipv6."));
    const evidence = present.map((k) => `${k}=${e.sysctl[k] ?? "(missing)"}`).join("; ");
    const ok =
      present.length > 0 &&
      present.every((k) => {
        const v = e.sysctl[k];
        return v !== undefined && (r.id === "k3s.kubelet-sysctls" ? v === KUBELET[k] : r.ok(v));
      });
    return control({ id: r.id, title: r.title, references: r.refs, evidence, ok });
  });
  const suid = e.sysctl["fs.suid_dumpable"];
  const hardCore = e.coreLimits.some((l) => /^\*\s+hard\s+core\s+0$/.test(l));
  const storageNone = e.coreLimits.some((l) => /^Storage\s*=\s*none$/.test(l));
  out.push(
    control({
      id: "kernel.core-dumps",
      title: "Core dumps are restricted",
      references: ["CIS Debian 12 1.5.3"],
      evidence: `fs.suid_dumpable=${suid ?? "(missing)"}; ${e.coreLimits.join("; ")}`,
      ok: suid === "0" && hardCore && storageNone,
    }),
  );
  return out;
}
