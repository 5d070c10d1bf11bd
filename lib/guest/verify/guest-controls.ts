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
    control({
      id: "ssh.permit-root-login",
      title: "Root cannot log in over SSH",
      references: [cis("5.1.20"), "seed §1"],
      evidence: ev("permitrootlogin"),
      ok: is("permitrootlogin", "no"),
    }),
    control({
      id: "ssh.key-only",
      title: "SSH accepts keys only, no passwords",
      references: [cis("5.1"), "seed §4"],
      evidence: ev("passwordauthentication", "kbdinteractiveauthentication", "pubkeyauthentication"),
      ok: is("passwordauthentication", "no") && is("kbdinteractiveauthentication", "no") && is("pubkeyauthentication", "yes"),
    }),
    control({
      id: "ssh.permit-empty-passwords",
      title: "Empty passwords are refused",
      references: [cis("5.1.19")],
      evidence: ev("permitemptypasswords"),
      ok: is("permitemptypasswords", "no"),
    }),
    control({
      id: "ssh.permit-user-environment",
      title: "Users cannot pass environment to sshd",
      references: [cis("5.1.21")],
      evidence: ev("permituserenvironment"),
      ok: is("permituserenvironment", "no"),
    }),
    control({
      id: "ssh.ciphers",
      title: "Only strong ciphers",
      references: [cis("5.1.6")],
      evidence: ev("ciphers"),
      ok: list("ciphers").length > 0 && !list("ciphers").some((c) => WEAK_CIPHER.test(c)),
    }),
    control({
      id: "ssh.macs",
      title: "Only strong MACs",
      references: [cis("5.1.15")],
      evidence: ev("macs"),
      ok: list("macs").length > 0 && !list("macs").some((c) => WEAK_MAC.test(c)),
    }),
    control({
      id: "ssh.kex",
      title: "Only strong key exchange",
      references: [cis("5.1.12")],
      evidence: ev("kexalgorithms"),
      ok: list("kexalgorithms").length > 0 && !list("kexalgorithms").some((c) => WEAK_KEX.test(c)),
    }),
    control({
      id: "ssh.max-auth-tries",
      title: "MaxAuthTries is 4 or less",
      references: [cis("5.1.16")],
      evidence: ev("maxauthtries"),
      ok: num("maxauthtries") <= 4,
    }),
    control({
      id: "ssh.login-grace-time",
      title: "LoginGraceTime is 1 to 60 seconds",
      references: [cis("5.1.13")],
      evidence: ev("logingracetime"),
      ok: num("logingracetime") >= 1 && num("logingracetime") <= 60,
    }),
    control({
      id: "ssh.client-alive",
      title: "Idle sessions are detected",
      references: [cis("5.1.7")],
      evidence: ev("clientaliveinterval", "clientalivecountmax"),
      ok: num("clientaliveinterval") > 0 && num("clientalivecountmax") > 0,
    }),
    control({
      id: "ssh.forwarding",
      title: "SSH forwarding is disabled",
      references: [cis("5.1.8")],
      evidence: ev("disableforwarding"),
      ok: expect.allowSshForwarding ? null : is("disableforwarding", "yes"),
    }),
    control({
      id: "ssh.hostbased",
      title: "No host-based or rhosts authentication",
      references: [cis("5.1.10"), cis("5.1.11")],
      evidence: ev("hostbasedauthentication", "ignorerhosts"),
      ok: is("hostbasedauthentication", "no") && is("ignorerhosts", "yes"),
    }),
    control({
      id: "ssh.gssapi",
      title: "GSSAPI authentication is off",
      references: [cis("5.1.9")],
      evidence: ev("gssapiauthentication"),
      ok: is("gssapiauthentication", "no"),
    }),
    control({
      id: "ssh.access",
      title: "SSH access is limited to named users or groups",
      references: [cis("5.1.4")],
      evidence: ev("allowusers", "allowgroups"),
      ok: (e.sshd.allowusers ?? []).some((v) => v.split(" ").includes(expect.adminUser)) || !!e.sshd.allowgroups,
    }),
    control({
      id: "ssh.limits",
      title: "MaxStartups and MaxSessions are limited",
      references: [cis("5.1.17"), cis("5.1.18")],
      evidence: ev("maxstartups", "maxsessions"),
      ok: num("maxsessions") <= 10 && /^10:30:60$/.test(s("maxstartups")),
    }),
    control({
      id: "ssh.log-level",
      title: "SSH logs at INFO or VERBOSE",
      references: [cis("5.1.14")],
      evidence: ev("loglevel"),
      ok: ["INFO", "VERBOSE"].includes(s("loglevel")),
    }),
    control({
      id: "ssh.banner",
      title: "A warning banner is shown",
      references: [cis("5.1.5")],
      evidence: ev("banner"),
      ok: s("banner") !== "" && s("banner") !== "none",
    }),
    control({ id: "ssh.use-pam", title: "sshd uses PAM", references: [cis("5.1.22")], evidence: ev("usepam"), ok: is("usepam", "yes") }),
    control({
      id: "ssh.config-mode",
      title: "sshd_config is 600 root:root",
      references: [cis("5.1.1")],
      evidence: JSON.stringify(mode("/etc/ssh/sshd_config") ?? null),
      ok: mode("/etc/ssh/sshd_config")?.mode === "600" && mode("/etc/ssh/sshd_config")?.owner === "root",
    }),
    control({
      id: "ssh.host-key-modes",
      title: "SSH private host keys are 600 root",
      references: [cis("5.1.2")],
      evidence: hostKeys.map(([p, m]) => `${p} ${m.mode} ${m.owner}`).join("; "),
      ok: hostKeys.length > 0 && hostKeys.every(([, m]) => m.mode === "600" && m.owner === "root"),
    }),
  ];
  const accounts: ControlResult[] = [
    control({
      id: "accounts.admin-user",
      title: "A non-root admin user with sudo exists",
      references: ["seed §1", cis("5.2")],
      evidence: `${expect.adminUser} groups: ${e.adminGroups?.join(" ") ?? "(no such user)"}`,
      ok: !!e.adminGroups?.includes("sudo"),
    }),
    control({
      id: "accounts.single-uid0",
      title: "Only root has UID 0",
      references: [cis("5.4.2.1")],
      evidence: `uid 0: ${e.uid0.join(" ")}`,
      ok: e.uid0.length === 1 && e.uid0[0] === "root",
    }),
    control({
      id: "accounts.no-empty-passwords",
      title: "No account has an empty password",
      references: [cis("7.2.2")],
      evidence: `empty: ${e.emptyPasswordUsers.join(" ") || "none"}`,
      ok: e.emptyPasswordUsers.length === 0,
    }),
  ];
  const updates: ControlResult[] = [
    control({
      id: "updates.automatic",
      title: "Automatic security updates are on",
      references: [cis("1.2.2.1"), "seed §4"],
      evidence: `${Object.entries(e.apt)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          "; ",
        )}; unattended-upgrades ${e.unattendedUpgradesInstalled ? "installed" : "not installed"}; apt-daily-upgrade.timer ${e.units["apt-daily-upgrade.timer"] ?? "?"}`,
      ok:
        e.unattendedUpgradesInstalled &&
        e.apt["APT::Periodic::Unattended-Upgrade"] === "1" &&
        e.apt["APT::Periodic::Update-Package-Lists"] === "1" &&
        e.units["apt-daily-upgrade.timer"] === "enabled",
    }),
  ];
  const controls = [...ssh, ...accounts, ...firewallControls(e, expect), ...kernelControls(e, expect.role), ...updates];
  return summariseControls("guest", controls);
}
