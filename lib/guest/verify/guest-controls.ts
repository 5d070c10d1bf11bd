import type { GuestRole } from "../inputs";
import { control, summariseControls, type ControlResult, type HardeningReportData } from "../report";
import type { GuestEvidence } from "./guest-evidence";
import { firewallControls } from "./firewall-controls";
import { kernelControls } from "./kernel-controls";

export type GuestExpectations = { role: GuestRole; adminUser: string; sshPort?: number; allowSshForwarding?: boolean };

const WEAK_CIPHER = /cbc|3des|arcfour|blowfish|cast128|rijndael/;
const WEAK_MAC = /md5|sha1|-96|umac-64|ripemd/;
const WEAK_KEX = /sha1|group1-|group14-sha256|gss-/;

/** Evaluates every guest control against evidence read from the machine (pure). */
export function evaluateGuestControls(opts: { evidence: GuestEvidence; expect: GuestExpectations }): HardeningReportData {
  const { evidence: e, expect } = opts;
  const s = (k: string) => (e.sshd[k] ?? []).join(" ");
  const is = (k: string, v: string) => s(k) === v;
  const num = (k: string) => Number(s(k) || NaN);
  const ev = (...keys: string[]) => keys.map((k) => `${k} ${s(k) || "(unset)"}`).join("; ");
  const list = (k: string) => s(k).split(",").filter(Boolean);
  const mode = (p: string) => e.modes[p];
  const hostKeys = Object.entries(e.modes).filter(([p]) => /ssh_host_.*_key$/.test(p));
  const cis = (id: string) => `CIS Debian 12 ${id}`;

  const ssh: ControlResult[] = [
    control("ssh.permit-root-login", "Root cannot log in over SSH", [cis("5.1.20"), "seed §1"], ev("permitrootlogin"), is("permitrootlogin", "no")),
    control("ssh.key-only", "SSH accepts keys only, no passwords", [cis("5.1"), "seed §4"], ev("passwordauthentication", "kbdinteractiveauthentication", "pubkeyauthentication"),
      is("passwordauthentication", "no") && is("kbdinteractiveauthentication", "no") && is("pubkeyauthentication", "yes")),
    control("ssh.permit-empty-passwords", "Empty passwords are refused", [cis("5.1.19")], ev("permitemptypasswords"), is("permitemptypasswords", "no")),
    control("ssh.permit-user-environment", "Users cannot pass environment to sshd", [cis("5.1.21")], ev("permituserenvironment"), is("permituserenvironment", "no")),
    control("ssh.ciphers", "Only strong ciphers", [cis("5.1.6")], ev("ciphers"), list("ciphers").length > 0 && !list("ciphers").some((c) => WEAK_CIPHER.test(c))),
    control("ssh.macs", "Only strong MACs", [cis("5.1.15")], ev("macs"), list("macs").length > 0 && !list("macs").some((c) => WEAK_MAC.test(c))),
    control("ssh.kex", "Only strong key exchange", [cis("5.1.12")], ev("kexalgorithms"), list("kexalgorithms").length > 0 && !list("kexalgorithms").some((c) => WEAK_KEX.test(c))),
    control("ssh.max-auth-tries", "MaxAuthTries is 4 or less", [cis("5.1.16")], ev("maxauthtries"), num("maxauthtries") <= 4),
    control("ssh.login-grace-time", "LoginGraceTime is 1 to 60 seconds", [cis("5.1.13")], ev("logingracetime"), num("logingracetime") >= 1 && num("logingracetime") <= 60),
    control("ssh.client-alive", "Idle sessions are detected", [cis("5.1.7")], ev("clientaliveinterval", "clientalivecountmax"), num("clientaliveinterval") > 0 && num("clientalivecountmax") > 0),
    control("ssh.forwarding", "SSH forwarding is disabled", [cis("5.1.8")], ev("disableforwarding"), expect.allowSshForwarding ? null : is("disableforwarding", "yes")),
    control("ssh.hostbased", "No host-based or rhosts authentication", [cis("5.1.10"), cis("5.1.11")], ev("hostbasedauthentication", "ignorerhosts"), is("hostbasedauthentication", "no") && is("ignorerhosts", "yes")),
    control("ssh.gssapi", "GSSAPI authentication is off", [cis("5.1.9")], ev("gssapiauthentication"), is("gssapiauthentication", "no")),
    control("ssh.access", "SSH access is limited to named users or groups", [cis("5.1.4")], ev("allowusers", "allowgroups"), (e.sshd.allowusers ?? []).some((v) => v.split(" ").includes(expect.adminUser)) || !!e.sshd.allowgroups),
    control("ssh.limits", "MaxStartups and MaxSessions are limited", [cis("5.1.17"), cis("5.1.18")], ev("maxstartups", "maxsessions"), num("maxsessions") <= 10 && /^10:30:60$/.test(s("maxstartups"))),
    control("ssh.log-level", "SSH logs at INFO or VERBOSE", [cis("5.1.14")], ev("loglevel"), ["INFO", "VERBOSE"].includes(s("loglevel"))),
    control("ssh.banner", "A warning banner is shown", [cis("5.1.5")], ev("banner"), s("banner") !== "" && s("banner") !== "none"),
    control("ssh.use-pam", "sshd uses PAM", [cis("5.1.22")], ev("usepam"), is("usepam", "yes")),
    control("ssh.config-mode", "sshd_config is 600 root:root", [cis("5.1.1")], JSON.stringify(mode("/etc/ssh/sshd_config") ?? null), mode("/etc/ssh/sshd_config")?.mode === "600" && mode("/etc/ssh/sshd_config")?.owner === "root"),
    control("ssh.host-key-modes", "SSH private host keys are 600 root", [cis("5.1.2")], hostKeys.map(([p, m]) => `${p} ${m.mode} ${m.owner}`).join("; "), hostKeys.length > 0 && hostKeys.every(([, m]) => m.mode === "600" && m.owner === "root")),
  ];
  const accounts: ControlResult[] = [
    control("accounts.admin-user", "A non-root admin user with sudo exists", ["seed §1", cis("5.2")], `${expect.adminUser} groups: ${e.adminGroups?.join(" ") ?? "(no such user)"}`, !!e.adminGroups?.includes("sudo")),
    control("accounts.single-uid0", "Only root has UID 0", [cis("5.4.2.1")], `uid 0: ${e.uid0.join(" ")}`, e.uid0.length === 1 && e.uid0[0] === "root"),
    control("accounts.no-empty-passwords", "No account has an empty password", [cis("7.2.2")], `empty: ${e.emptyPasswordUsers.join(" ") || "none"}`, e.emptyPasswordUsers.length === 0),
  ];
  const updates: ControlResult[] = [
    control("updates.automatic", "Automatic security updates are on", [cis("1.2.2.1"), "seed §4"],
      `${Object.entries(e.apt).map(([k, v]) => `${k}=${v}`).join("; ")}; unattended-upgrades ${e.unattendedUpgradesInstalled ? "installed" : "not installed"}; apt-daily-upgrade.timer ${e.units["apt-daily-upgrade.timer"] ?? "?"}`,
      e.unattendedUpgradesInstalled && e.apt["APT::Periodic::Unattended-Upgrade"] === "1" && e.apt["APT::Periodic::Update-Package-Lists"] === "1" && e.units["apt-daily-upgrade.timer"] === "enabled"),
  ];
  const controls = [...ssh, ...accounts, ...firewallControls(e, expect), ...kernelControls(e, expect.role), ...updates];
  return summariseControls("guest", controls);
}
