import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffReports } from "@/lib/guest/report";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { parseGuestEvidence } from "@/lib/guest/verify/guest-evidence";

// Fixtures are real output captured on Debian 12 (sshd -T, sysctl, nft list ruleset, stat, apt-config)
// before and after hardening, see tests/unit/guest-fixtures.
const raw = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(path.resolve("tests/unit/guest-fixtures", `${name}.json`), "utf8"));
const evaluate = (r: Record<string, string>, role: "vm" | "k3s-server" = "vm") =>
  evaluateGuestControls({ evidence: parseGuestEvidence(r), expect: { role, adminUser: "tenant" } });
const statusOf = (r: Record<string, string>, id: string, role: "vm" | "k3s-server" = "vm") =>
  evaluate(r, role).controls.find((c) => c.id === id)?.status;
const edit = (section: string, from: RegExp | string, to: string) => {
  const r = raw("debian12-hardened-vm");
  const before = r[section]!;
  r[section] = before.replace(from, to);
  if (r[section] === before) throw new Error(`mutation did not apply to ${section}`);
  return r;
};

describe("guest controls on real evidence", () => {
  it("a hardened vm passes every control", () => {
    const report = evaluate(raw("debian12-hardened-vm"));
    expect(report.controls.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.notApplicable).toBe(1); // kubelet sysctls on a plain VM
  });

  it("a hardened k3s node passes every control, with forwarding on", () => {
    const report = evaluate(raw("debian12-hardened-k3s-server"), "k3s-server");
    expect(report.controls.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.controls.find((c) => c.id === "net.ip-forwarding")?.evidence).toContain("net.ipv4.ip_forward=1");
  });

  it("a stock Debian 12 fails the controls it does not meet", () => {
    const failed = evaluate(raw("debian12-unhardened"))
      .controls.filter((c) => c.status === "fail")
      .map((c) => c.id);
    expect(failed).toEqual(
      expect.arrayContaining([
        "ssh.permit-root-login",
        "ssh.key-only",
        "ssh.max-auth-tries",
        "ssh.forwarding",
        "fw.default-deny-inbound",
        "accounts.admin-user",
        "kernel.ptrace-scope",
      ]),
    );
  });

  // Each row weakens one setting in real output; the named control must fail. Dropping a control
  // (or loosening its check) makes its row fail.
  const mutations: [string, string, RegExp | string, string][] = [
    ["ssh.permit-root-login", "sshd", "permitrootlogin no", "permitrootlogin yes"],
    ["ssh.key-only", "sshd", "passwordauthentication no", "passwordauthentication yes"],
    ["ssh.permit-empty-passwords", "sshd", "permitemptypasswords no", "permitemptypasswords yes"],
    ["ssh.permit-user-environment", "sshd", "permituserenvironment no", "permituserenvironment yes"],
    ["ssh.ciphers", "sshd", /^ciphers (.*)$/m, "ciphers $1,aes128-cbc"],
    ["ssh.macs", "sshd", /^macs (.*)$/m, "macs $1,hmac-sha1"],
    ["ssh.kex", "sshd", /^kexalgorithms (.*)$/m, "kexalgorithms $1,diffie-hellman-group14-sha1"],
    ["ssh.max-auth-tries", "sshd", "maxauthtries 4", "maxauthtries 6"],
    ["ssh.login-grace-time", "sshd", "logingracetime 60", "logingracetime 120"],
    ["ssh.client-alive", "sshd", "clientaliveinterval 15", "clientaliveinterval 0"],
    ["ssh.forwarding", "sshd", "disableforwarding yes", "disableforwarding no"],
    ["ssh.access", "sshd", /^allowusers tenant$/m, ""],
    ["ssh.config-mode", "modes", "600 root root /etc/ssh/sshd_config", "644 root root /etc/ssh/sshd_config"],
    ["accounts.single-uid0", "accounts", "uid0 root", "uid0 root toor"],
    ["accounts.no-empty-passwords", "accounts", /^empty $/m, "empty guest"],
    ["fw.default-deny-inbound", "nft", /hook input priority filter; policy drop;/, "hook input priority filter; policy accept;"],
    ["fw.ssh-allowed", "nft", /\t\ttcp dport 22 ct state new accept\n/, ""],
    ["fw.k3s-ports", "nft", "tcp dport 22 ct state new accept", "tcp dport 22 ct state new accept\n\t\ttcp dport 10250 accept"],
    ["kernel.aslr", "sysctl", "kernel.randomize_va_space = 2", "kernel.randomize_va_space = 0"],
    ["kernel.ptrace-scope", "sysctl", "kernel.yama.ptrace_scope = 1", "kernel.yama.ptrace_scope = 0"],
    ["kernel.core-dumps", "sysctl", "fs.suid_dumpable = 0", "fs.suid_dumpable = 2"],
    ["net.ip-forwarding", "sysctl", "net.ipv4.ip_forward = 0", "net.ipv4.ip_forward = 1"],
    ["net.accept-redirects", "sysctl", "net.ipv4.conf.all.accept_redirects = 0", "net.ipv4.conf.all.accept_redirects = 1"],
    ["net.source-route", "sysctl", "net.ipv4.conf.all.accept_source_route = 0", "net.ipv4.conf.all.accept_source_route = 1"],
    ["net.rp-filter", "sysctl", "net.ipv4.conf.all.rp_filter = 1", "net.ipv4.conf.all.rp_filter = 0"],
    ["net.syncookies", "sysctl", "net.ipv4.tcp_syncookies = 1", "net.ipv4.tcp_syncookies = 0"],
    ["updates.automatic", "apt", 'APT::Periodic::Unattended-Upgrade "1";', 'APT::Periodic::Unattended-Upgrade "0";'],
    ["fw.persistent", "units", "nftables.service enabled", "nftables.service disabled"],
  ];
  it.each(mutations)("%s fails when weakened", (id, section, from, to) => {
    expect(statusOf(raw("debian12-hardened-vm"), id)).toBe("pass");
    const weakened = edit(section, from, to);
    expect(statusOf(weakened, id)).toBe("fail");
  });

  it("rp_filter loose mode passes on k3s nodes only", () => {
    expect(statusOf(edit("sysctl", "net.ipv4.conf.all.rp_filter = 1", "net.ipv4.conf.all.rp_filter = 2"), "net.rp-filter")).toBe("fail");
    expect(statusOf(raw("debian12-hardened-k3s-server"), "net.rp-filter", "k3s-server")).toBe("pass");
  });

  it("diffReports flags only controls that went from pass to fail", () => {
    const good = evaluate(raw("debian12-hardened-vm"));
    const bad = evaluate(edit("sshd", "permitrootlogin no", "permitrootlogin yes"));
    expect(diffReports({ previous: good, current: bad }).map((d) => d.id)).toEqual(["ssh.permit-root-login"]);
    expect(diffReports({ previous: bad, current: good })).toEqual([]);
    expect(diffReports({ previous: null, current: bad })).toEqual([]);
  });
});
