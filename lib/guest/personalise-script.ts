import { z } from "zod";
import { fromZod } from "../core/errors";
import { adminUserSchema, sshPublicKeySchema } from "./inputs";
import { SCRIPT_PRELUDE, putFile, shQuote } from "./script-lib";

// What makes a warm guest one tenant's machine, as one POSIX sh script run as root in one SSH exec
// (pure). Everything that identifies the machine is replaced: the SSH host keys (the image's and the
// warm boot's removed, Skjold's new one installed), the hostname, /etc/machine-id, the random seed
// (Skjold's fresh bytes mixed into the kernel pool and saved for the next boot) and cloud-init's
// instance id; the admin user's authorized_keys becomes the tenant's key and Skjold's management key
// (the guest was hardened when it warmed: nothing else of the hardening depends on the tenant). Safe to run again with the same input; sshd is reloaded last, so the connection that
// runs it stays up and every new one meets the new key.

export const PersonaliseInput = z.strictObject({
  hostname: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/),
  adminUser: adminUserSchema,
  /** the admin user's keys, in order: the tenant's, then Skjold's management key */
  authorizedKeys: z.array(sshPublicKeySchema).min(1).max(21),
  instanceId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
  // the key pair as generated (its fingerprint, if given, is not needed here)
  hostKey: z.object({
    privateKey: z.string().includes("OPENSSH PRIVATE KEY"),
    publicKey: z.string().regex(/^ssh-ed25519 [A-Za-z0-9+/=]+( [^\n]*)?$/),
  }),
  /** 32 hex digits */
  machineId: z.string().regex(/^[0-9a-f]{32}$/),
  /** random bytes, base64 */
  entropy: z.base64(),
  randomSeed: z.base64(),
});
export type PersonaliseInput = z.infer<typeof PersonaliseInput>;

const b64 = (s: string) => Buffer.from(s).toString("base64");

export function buildPersonaliseScript(input: PersonaliseInput): string {
  const parsed = PersonaliseInput.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid personalisation");
  const p = parsed.data;
  return [
    SCRIPT_PRELUDE,
    "t0=$(date +%s%N)",
    `hn=${shQuote(p.hostname)}; iid=${shQuote(p.instanceId)}; mid=${shQuote(p.machineId)}`,
    "# SSH host key: every key the image or the warm boot made goes; Skjold's new key is the only one",
    `printf '%s' ${shQuote(b64(p.hostKey.privateKey))} | base64 -d > /etc/ssh/.skjold-new-host-key`,
    "chown root:root /etc/ssh/.skjold-new-host-key; chmod 600 /etc/ssh/.skjold-new-host-key",
    `for k in /etc/ssh/ssh_host_*; do [ -e "$k" ] && rm -f "$k"; done`,
    "mv /etc/ssh/.skjold-new-host-key /etc/ssh/ssh_host_ed25519_key",
    `printf '%s\\n' ${shQuote(p.hostKey.publicKey)} > /etc/ssh/ssh_host_ed25519_key.pub; chmod 644 /etc/ssh/ssh_host_ed25519_key.pub`,
    "# the admin user's keys: the tenant's and Skjold's management key, nothing else",
    `home=$(getent passwd ${shQuote(p.adminUser)} | cut -d: -f6); grp=$(id -gn ${shQuote(p.adminUser)})`,
    '[ -d "$home/.ssh" ] || die "the admin user has no ~/.ssh: the warm guest was not hardened"',
    putFile(
      { path: "~/.ssh/authorized_keys", mode: "600", content: `${p.authorizedKeys.join("\n")}\n`, apply: "none" },
      { path: '"$home/.ssh/authorized_keys"', owner: shQuote(p.adminUser), group: '"$grp"' },
    ),
    "# hostname",
    `printf '%s\\n' "$hn" > /etc/hostname; hostname "$hn"`,
    `sed -i '/^127\\.0\\.1\\.1[[:space:]]/d' /etc/hosts; printf '127.0.1.1 %s\\n' "$hn" >> /etc/hosts`,
    "# machine-id (and D-Bus's copy when it is a file of its own)",
    `printf '%s\\n' "$mid" > /etc/machine-id; chmod 444 /etc/machine-id`,
    `if [ -f /var/lib/dbus/machine-id ] && [ ! -L /var/lib/dbus/machine-id ]; then printf '%s\\n' "$mid" > /var/lib/dbus/machine-id; fi`,
    "# entropy: fresh bytes into the kernel pool now, a new seed for the next boot",
    `printf '%s' ${shQuote(p.entropy)} | base64 -d > /dev/urandom`,
    "mkdir -p /var/lib/systemd",
    `printf '%s' ${shQuote(p.randomSeed)} | base64 -d > /var/lib/systemd/random-seed; chmod 600 /var/lib/systemd/random-seed`,
    "# cloud-init: the new instance id (the host's seed says the same), so a reboot keeps this identity",
    "old=$(cat /var/lib/cloud/data/instance-id 2>/dev/null || true)",
    `if [ -n "$old" ] && [ "$old" != "$iid" ] && [ -d "/var/lib/cloud/instances/$old" ] && [ ! -e "/var/lib/cloud/instances/$iid" ]; then mv "/var/lib/cloud/instances/$old" "/var/lib/cloud/instances/$iid"; fi`,
    `if [ -d "/var/lib/cloud/instances/$iid" ]; then ln -sfn "/var/lib/cloud/instances/$iid" /var/lib/cloud/instance; rm -f "/var/lib/cloud/instances/$iid/obj.pkl"; fi`,
    `if [ -d /var/lib/cloud/data ]; then printf '%s\\n' "$iid" > /var/lib/cloud/data/instance-id; printf '%s\\n' "$iid" > /var/lib/cloud/data/previous-instance-id; fi`,
    "# sshd restarts its listener on the new key (SIGHUP, what `systemctl reload ssh` sends after its own",
    "# sshd -t); this connection stays up. The script returns once the new listener is up, so the next",
    "# connection meets the new key at once instead of a refused port and a retry.",
    "sshd -t >/dev/null 2>&1 || die 'sshd rejects the new host key'",
    `ino() { ss -Hltne 'sport = :22' 2>/dev/null | sed -n 's/.* ino:\\([0-9]*\\).*/\\1/p' | head -n 1; }`,
    "before=$(ino); pid=$(cat /run/sshd.pid 2>/dev/null || true)",
    'if [ -n "$pid" ] && kill -HUP "$pid" 2>/dev/null; then :; else systemctl reload ssh 2>/dev/null || systemctl reload sshd; fi',
    'i=0; while [ "$i" -lt 200 ]; do now=$(ino); [ -n "$now" ] && [ "$now" != "$before" ] && break; sleep 0.05; i=$((i + 1)); done',
    'echo "SKJOLD_ELAPSED_MS $(( ($(date +%s%N) - t0) / 1000000 ))"',
    "echo SKJOLD_DONE",
    "",
  ].join("\n");
}
