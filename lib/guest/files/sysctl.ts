import type { GuestRole } from "../inputs";

export const SYSCTL_PATH = "/etc/sysctl.d/60-skjold-hardening.conf";
export const KUBELET_SYSCTL_PATH = "/etc/sysctl.d/90-kubelet.conf";

const isK3s = (role: GuestRole) => role !== "vm";

/** CIS Debian 12 sections 1.5 and 3.3. A k3s node forwards packets and uses loose reverse-path filtering (overlay traffic). */
export function hardeningSysctls(role: GuestRole): Record<string, string> {
  const forward = isK3s(role) ? "1" : "0";
  return {
    "kernel.randomize_va_space": "2",
    "kernel.yama.ptrace_scope": "1",
    "fs.suid_dumpable": "0",
    "kernel.dmesg_restrict": "1",
    "kernel.kptr_restrict": "2",
    "net.ipv4.ip_forward": forward,
    "net.ipv6.conf.all.forwarding": forward,
    "net.ipv4.conf.all.send_redirects": "0",
    "net.ipv4.conf.default.send_redirects": "0",
    "net.ipv4.icmp_ignore_bogus_error_responses": "1",
    "net.ipv4.icmp_echo_ignore_broadcasts": "1",
    "net.ipv4.conf.all.accept_redirects": "0",
    "net.ipv4.conf.default.accept_redirects": "0",
    "net.ipv6.conf.all.accept_redirects": "0",
    "net.ipv6.conf.default.accept_redirects": "0",
    "net.ipv4.conf.all.secure_redirects": "0",
    "net.ipv4.conf.default.secure_redirects": "0",
    "net.ipv4.conf.all.rp_filter": isK3s(role) ? "2" : "1",
    "net.ipv4.conf.default.rp_filter": isK3s(role) ? "2" : "1",
    "net.ipv4.conf.all.accept_source_route": "0",
    "net.ipv4.conf.default.accept_source_route": "0",
    "net.ipv6.conf.all.accept_source_route": "0",
    "net.ipv6.conf.default.accept_source_route": "0",
    "net.ipv4.conf.all.log_martians": "1",
    "net.ipv4.conf.default.log_martians": "1",
    "net.ipv4.tcp_syncookies": "1",
    "net.ipv6.conf.all.accept_ra": "0",
    "net.ipv6.conf.default.accept_ra": "0",
  };
}

/** What the kubelet checks when k3s runs with protect-kernel-defaults (k3s CIS hardening guide, host-level requirements). */
export function kubeletSysctls(role: GuestRole): Record<string, string> {
  if (!isK3s(role)) return {};
  return { "vm.panic_on_oom": "0", "vm.overcommit_memory": "1", "kernel.panic": "10", "kernel.panic_on_oops": "1" };
}

export function renderSysctlFile(values: Record<string, string>, title: string): string {
  return [`# Managed by Skjold: ${title}`, ...Object.entries(values).map(([k, v]) => `${k} = ${v}`), ""].join("\n");
}
