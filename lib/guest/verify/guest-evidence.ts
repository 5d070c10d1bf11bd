import { z } from "zod";
import { AUTO_UPGRADES_PATH } from "../files/updates";
import { hardeningSysctls, kubeletSysctls } from "../files/sysctl";
import { SSHD_DROPIN_PATH } from "../files/sshd";
import { adminUserSchema } from "../inputs";
import { runRootScript, type GuestShell, type Privilege } from "../shell";
import { shQuote } from "../script-lib";
import { buildSectionScript, newNonce, parseSections, type Section } from "./sections";

/** Every sysctl any role sets: the evidence reads them all and the evaluation decides per role. */
const SYSCTL_KEYS = [...new Set([...Object.keys(hardeningSysctls("k3s-server")), ...Object.keys(kubeletSysctls("k3s-server"))])];

export function guestEvidenceSections(adminUser: string): Section[] {
  const u = shQuote(adminUser);
  const modePaths = ["/etc/ssh/sshd_config", SSHD_DROPIN_PATH, "/etc/nftables.conf", "/etc/sudoers.d/90-skjold-admin"];
  return [
    { name: "sshd", command: "sshd -T" },
    { name: "sysctl", command: `sysctl -e ${SYSCTL_KEYS.map(shQuote).join(" ")}` },
    { name: "nft", command: "nft list ruleset" },
    { name: "modes", command: `stat -c '%a %U %G %n' ${modePaths.join(" ")} /etc/ssh/ssh_host_*_key` },
    {
      name: "accounts",
      command: `echo "uid0 $(awk -F: '$3==0{printf "%s ",$1}' /etc/passwd)"; echo "empty $(awk -F: '$2==""{printf "%s ",$1}' /etc/shadow)"; echo "admin $(id -nG ${u} 2>/dev/null || echo missing)"`,
    },
    {
      name: "apt",
      command: `apt-config dump APT::Periodic; echo "package $(dpkg-query -W -f='\${Status}' unattended-upgrades 2>/dev/null || echo absent)"; test -f ${AUTO_UPGRADES_PATH} && echo "file present" || echo "file absent"`,
    },
    {
      name: "units",
      command:
        'for u in nftables.service apt-daily-upgrade.timer unattended-upgrades.service; do echo "$u $(systemctl is-enabled $u 2>/dev/null || true)"; done',
    },
    {
      name: "core",
      command:
        "grep -hsE '^[^#]*core' /etc/security/limits.conf /etc/security/limits.d/*.conf; grep -hs '^Storage' /etc/systemd/coredump.conf /etc/systemd/coredump.conf.d/*.conf",
    },
  ];
}

const guestEvidenceSchema = z.object({
  sshd: z.record(z.string(), z.array(z.string())),
  sysctl: z.record(z.string(), z.string()),
  nftRuleset: z.string(),
  modes: z.record(z.string(), z.object({ mode: z.string(), owner: z.string(), group: z.string() })),
  uid0: z.array(z.string()),
  emptyPasswordUsers: z.array(z.string()),
  adminGroups: z.array(z.string()).nullable(),
  apt: z.record(z.string(), z.string()),
  unattendedUpgradesInstalled: z.boolean(),
  units: z.record(z.string(), z.string()),
  coreLimits: z.array(z.string()),
  raw: z.record(z.string(), z.string()),
});
export type GuestEvidence = z.infer<typeof guestEvidenceSchema>;

const lines = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** `sshd -T` prints one `keyword value…` per line; keywords that repeat (hostkey, allowusers) collect. */
function parseSshdT(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines(text)) {
    const m = /^([a-z0-9]+) (.*)$/.exec(l);
    if (!m) throw new Error(`unexpected sshd -T line: ${l}`);
    (out[m[1]!] ??= []).push(m[2]!);
  }
  return out;
}

/** `sysctl key…` prints `key = value`; unknown keys (with -e) print nothing. */
function parseSysctl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines(text)) {
    const m = /^([a-z0-9_.-]+) = (.*)$/.exec(l);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

function parseModes(text: string): GuestEvidence["modes"] {
  const out: GuestEvidence["modes"] = {};
  for (const l of lines(text)) {
    const m = /^([0-7]{3,4}) (\S+) (\S+) (\/\S+)$/.exec(l);
    if (m) out[m[4]!] = { mode: m[1]!, owner: m[2]!, group: m[3]! };
  }
  return out;
}

const field = (text: string, key: string) =>
  lines(text)
    .find((l) => l.startsWith(`${key} `) || l === key)
    ?.slice(key.length)
    .trim() ?? "";

/** Turns the raw sections into typed evidence (pure, strict). */
export function parseGuestEvidence(raw: Record<string, string>): GuestEvidence {
  const get = (n: string) => raw[n] ?? "";
  const admin = field(get("accounts"), "admin");
  const apt: Record<string, string> = {};
  for (const l of lines(get("apt"))) {
    const m = /^(APT::Periodic::[A-Za-z-]+) "(.*)";$/.exec(l);
    if (m) apt[m[1]!] = m[2]!;
  }
  const units: Record<string, string> = {};
  for (const l of lines(get("units"))) {
    const [unit, state] = l.split(" ");
    if (unit) units[unit] = state ?? "";
  }
  return guestEvidenceSchema.parse({
    sshd: parseSshdT(get("sshd")),
    sysctl: parseSysctl(get("sysctl")),
    nftRuleset: get("nft"),
    modes: parseModes(get("modes")),
    uid0: field(get("accounts"), "uid0").split(" ").filter(Boolean),
    emptyPasswordUsers: field(get("accounts"), "empty").split(" ").filter(Boolean),
    adminGroups: admin === "missing" || !admin ? null : admin.split(" "),
    apt,
    unattendedUpgradesInstalled: field(get("apt"), "package") === "install ok installed",
    units,
    coreLimits: lines(get("core")),
    raw,
  });
}

/** Reads the guest's real state in ONE SSH exec. */
export async function collectGuestEvidence(opts: { shell: GuestShell; adminUser: string; privilege?: Privilege }): Promise<GuestEvidence> {
  const adminUser = adminUserSchema.parse(opts.adminUser);
  const sections = guestEvidenceSections(adminUser);
  const nonce = newNonce();
  const { stdout } = await runRootScript({
    shell: opts.shell,
    privilege: opts.privilege,
    script: buildSectionScript(sections, nonce),
    what: "Evidence collection",
  });
  return parseGuestEvidence(
    parseSections(
      stdout,
      sections.map((s) => s.name),
      nonce,
    ),
  );
}
