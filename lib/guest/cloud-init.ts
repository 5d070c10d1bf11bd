import { stringify } from "yaml";
import { z } from "zod";
import { fromZod } from "../core/errors";
import { renderGuestFiles } from "./files";
import { SYSCTL_PATH, KUBELET_SYSCTL_PATH } from "./files/sysctl";
import { guestHardeningSchema, hostnameSchema } from "./inputs";

const cloudInitSchema = guestHardeningSchema.extend({
  hostname: hostnameSchema,
  instanceId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/)
    .optional(),
  /** Static addressing on a routed network; without it the first NIC uses DHCP. */
  network: z
    .object({ address: z.string().min(3), gateway: z.string().min(3), nameservers: z.array(z.string()).max(3).default([]) })
    .optional(),
});
export type BuildCloudInitOptions = z.input<typeof cloudInitSchema>;

const header = (doc: unknown, first: string) => `${first}\n${stringify(doc, { lineWidth: 0 })}`;

/**
 * NoCloud seed for a hardened guest. It writes the same files hardenGuest keeps (so the guest is
 * hardened from first boot and the post-boot step only verifies or repairs), and installs nothing:
 * the lab guest reaches no package mirror, the image already has every package.
 */
export function buildCloudInit(opts: BuildCloudInitOptions): { userData: string; metaData: string; networkConfig: string } {
  const parsed = cloudInitSchema.safeParse(opts);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid cloud-init options");
  const o = parsed.data;
  const files = renderGuestFiles(o).filter((f) => !f.path.startsWith("/etc/sudoers.d/"));
  const sysctlFiles = files.filter((f) => f.path === SYSCTL_PATH || f.path === KUBELET_SYSCTL_PATH).map((f) => f.path);
  const user = {
    hostname: o.hostname,
    fqdn: o.hostname,
    preserve_hostname: false,
    disable_root: true,
    ssh_pwauth: false,
    package_update: false,
    package_upgrade: false,
    users: [
      {
        name: o.adminUser,
        groups: ["sudo"],
        shell: "/bin/bash",
        lock_passwd: true,
        sudo: "ALL=(ALL:ALL) NOPASSWD: ALL",
        ssh_authorized_keys: [o.sshPublicKey, ...o.extraSshPublicKeys],
      },
    ],
    write_files: files.map((f) => ({ path: f.path, permissions: `0${f.mode}`, owner: "root:root", content: f.content })),
    runcmd: [
      ["sysctl", "-q", ...sysctlFiles.flatMap((p) => ["-p", p])],
      ["nft", "-f", "/etc/nftables.conf"],
      ["systemctl", "enable", "--now", "nftables.service", "apt-daily.timer", "apt-daily-upgrade.timer"],
      ["systemctl", "reload-or-restart", "ssh.service"],
    ],
  };
  const meta = { "instance-id": o.instanceId ?? `skjold-${o.hostname}`, "local-hostname": o.hostname };
  const net = o.network
    ? {
        version: 2,
        ethernets: {
          primary: {
            match: { name: "e*" },
            addresses: [o.network.address],
            routes: [{ to: "default", via: o.network.gateway }],
            nameservers: { addresses: o.network.nameservers },
          },
        },
      }
    : { version: 2, ethernets: { primary: { match: { name: "e*" }, dhcp4: true } } };
  return { userData: header(user, "#cloud-config"), metaData: stringify(meta), networkConfig: stringify(net) };
}
