import type { GuestHardening } from "../inputs";

// CIS Debian Linux 12 benchmark, section 5.1 (SSH server). Keys are sshd_config keywords; the
// effective values are later read back with `sshd -T`, which prints them in lower case.
const SSHD_CIPHERS = [
  "chacha20-poly1305@openssh.com",
  "aes256-gcm@openssh.com",
  "aes128-gcm@openssh.com",
  "aes256-ctr",
  "aes192-ctr",
  "aes128-ctr",
];
const SSHD_MACS = [
  "hmac-sha2-512-etm@openssh.com",
  "hmac-sha2-256-etm@openssh.com",
  "umac-128-etm@openssh.com",
  "hmac-sha2-512",
  "hmac-sha2-256",
];
const SSHD_KEX = [
  "sntrup761x25519-sha512@openssh.com",
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "ecdh-sha2-nistp521",
  "ecdh-sha2-nistp384",
  "ecdh-sha2-nistp256",
  "diffie-hellman-group-exchange-sha256",
];

export const SSHD_DROPIN_PATH = "/etc/ssh/sshd_config.d/00-skjold-hardening.conf";
export const BANNER_PATH = "/etc/issue.net";
export const BANNER_TEXT = "Authorised access only. Activity on this system is logged.\n";

/** The sshd settings for a guest, in the order they are written. */
function sshdSettings(opts: Pick<GuestHardening, "adminUser" | "sshPort" | "allowSshForwarding">): [string, string][] {
  return [
    ["Port", String(opts.sshPort)],
    ["PermitRootLogin", "no"],
    ["PasswordAuthentication", "no"],
    ["KbdInteractiveAuthentication", "no"],
    ["PubkeyAuthentication", "yes"],
    ["AuthenticationMethods", "publickey"],
    ["PermitEmptyPasswords", "no"],
    ["PermitUserEnvironment", "no"],
    ["HostbasedAuthentication", "no"],
    ["IgnoreRhosts", "yes"],
    ["GSSAPIAuthentication", "no"],
    ["UsePAM", "yes"],
    ["AllowUsers", opts.adminUser],
    ["DisableForwarding", opts.allowSshForwarding ? "no" : "yes"],
    ["X11Forwarding", "no"],
    ["MaxAuthTries", "4"],
    ["MaxSessions", "10"],
    ["MaxStartups", "10:30:60"],
    ["LoginGraceTime", "60"],
    ["ClientAliveInterval", "15"],
    ["ClientAliveCountMax", "3"],
    ["LogLevel", "VERBOSE"],
    ["Banner", BANNER_PATH],
    ["Ciphers", SSHD_CIPHERS.join(",")],
    ["MACs", SSHD_MACS.join(",")],
    ["KexAlgorithms", SSHD_KEX.join(",")],
  ];
}

/** A drop-in read before every other (first value wins in sshd), so cloud-init's own drop-in cannot weaken it. */
export function renderSshdDropIn(opts: Pick<GuestHardening, "adminUser" | "sshPort" | "allowSshForwarding">): string {
  const lines = sshdSettings(opts).map(([k, v]) => `${k} ${v}`);
  return ["# Managed by Skjold: CIS Debian 12 section 5.1. Local changes are overwritten.", ...lines, ""].join("\n");
}
