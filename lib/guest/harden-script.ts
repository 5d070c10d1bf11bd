import { renderAuthorizedKeys, renderGuestFiles } from "./files";
import { NFT_TABLE } from "./files/nftables";
import { SSHD_DROPIN_PATH } from "./files/sshd";
import { hardeningSysctls, kubeletSysctls } from "./files/sysctl";
import type { GuestHardening } from "./inputs";
import { SCRIPT_PRELUDE, ensureSysctl, putFile, shQuote } from "./script-lib";

const NFT_STATE_FILE = "/var/lib/skjold/nftables.sha256";
// sshd keeps the first value it reads for a keyword. Including Skjold's drop-in on the first line of
// sshd_config makes its settings win over every other drop-in (a foreign "0-override.conf" sorts
// before "00-skjold-…") and over the main file; the later glob include reads it again, harmlessly.
const SSHD_INCLUDE_FIRST = `Include ${SSHD_DROPIN_PATH}`;
const UNITS = ["nftables.service", "apt-daily.timer", "apt-daily-upgrade.timer", "unattended-upgrades.service"];

/**
 * The whole post-boot hardening as one POSIX sh script (pure). It converges: every step checks
 * before it changes, prints `SKJOLD_CHANGED <what>` when it did change something, and a second
 * run prints no marker at all.
 */
export function buildHardenScript(opts: GuestHardening): string {
  const u = shQuote(opts.adminUser);
  const files = renderGuestFiles(opts);
  const sysctls = { ...hardeningSysctls(opts.role), ...kubeletSysctls(opts.role) };
  const keys = { path: "~/.ssh/authorized_keys", mode: "600", content: renderAuthorizedKeys(opts), apply: "none" };
  return [
    SCRIPT_PRELUDE,
    "# admin user: key only, in the sudo group, no usable password",
    `if ! id -u ${u} >/dev/null 2>&1; then useradd -m -U -s /bin/bash ${u}; usermod -p '*' ${u}; mark user; fi`,
    `id -nG ${u} | tr ' ' '\\n' | grep -qx sudo || { usermod -aG sudo ${u}; mark user-groups; }`,
    `home=$(getent passwd ${u} | cut -d: -f6); grp=$(id -gn ${u})`,
    `[ "$(stat -c '%a %U' "$home/.ssh" 2>/dev/null)" = "700 ${opts.adminUser}" ] || { install -d -m 700 -o ${u} -g "$grp" "$home/.ssh"; mark ssh-dir; }`,
    putFile(keys, { path: '"$home/.ssh/authorized_keys"', owner: u, group: '"$grp"' }),
    "# configuration files",
    ...files.map((f) => putFile(f)),
    `head -n 1 /etc/ssh/sshd_config | grep -qxF ${shQuote(SSHD_INCLUDE_FIRST)} || { sed -i ${shQuote(`1i ${SSHD_INCLUDE_FIRST}`)} /etc/ssh/sshd_config; mark sshd:include-first; mark apply:sshd; }`,
    "# file permissions (CIS 5.1.1-5.1.3)",
    `[ "$(stat -c '%a %U' /etc/ssh/sshd_config)" = "600 root" ] || { chown root:root /etc/ssh/sshd_config; chmod 600 /etc/ssh/sshd_config; mark perms:sshd_config; }`,
    `for k in /etc/ssh/ssh_host_*_key; do [ -f "$k" ] || continue; [ "$(stat -c '%a %U' "$k")" = "600 root" ] || { chown root:root "$k"; chmod 600 "$k"; mark "perms:$k"; }; done`,
    "# sshd: validate the whole configuration before it is used, roll back when it does not validate",
    `if marked apply:sshd && ! sshd -t >/dev/null 2>&1; then for f in /etc/ssh/sshd_config.d/*.skjold-prev; do [ -f "$f" ] && mv "$f" "\${f%.skjold-prev}"; done; die "sshd rejected the new configuration: $(sshd -t 2>&1 | head -1)"; fi`,
    "# kernel parameters at runtime",
    ...Object.entries(sysctls).map(([k, v]) => ensureSysctl(k, v)),
    "# firewall: (re)load when the file changed or the live table drifted from what was loaded",
    `live=$(nft list table inet ${NFT_TABLE} 2>/dev/null | sha256sum | cut -d' ' -f1)`,
    `if marked apply:nftables || [ "$live" != "$(cat ${NFT_STATE_FILE} 2>/dev/null)" ]; then`,
    "  nft -c -f /etc/nftables.conf || die 'nftables rejected /etc/nftables.conf'",
    "  nft -f /etc/nftables.conf",
    `  mkdir -p ${shQuote(NFT_STATE_FILE.replace(/\/[^/]+$/, ""))}`,
    `  nft list table inet ${NFT_TABLE} | sha256sum | cut -d' ' -f1 > ${NFT_STATE_FILE}`,
    "  mark nftables-runtime",
    "fi",
    "# services: enabled at boot (works offline), reloaded only where systemd runs",
    `for unit in ${UNITS.join(" ")}; do systemctl is-enabled -q "$unit" 2>/dev/null || { systemctl enable -q "$unit" 2>/dev/null && mark "enable:$unit" || echo "SKJOLD_NOTE cannot enable $unit"; }; done`,
    "if [ -d /run/systemd/system ]; then",
    "  if marked apply:sshd; then systemctl reload ssh.service; fi",
    "else",
    "  echo 'SKJOLD_NOTE systemd is not running: sshd not reloaded'",
    "fi",
    "rm -f /etc/ssh/sshd_config.d/*.skjold-prev",
    "echo SKJOLD_DONE",
    "",
  ].join("\n");
}
