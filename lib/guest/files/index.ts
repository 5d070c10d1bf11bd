import type { GuestHardening } from "../inputs";
import { AUTO_UPGRADES_PATH, UNATTENDED_PATH, renderAutoUpgrades, renderUnattendedUpgrades } from "./updates";
import { NFTABLES_PATH, renderNftables } from "./nftables";
import { BANNER_PATH, BANNER_TEXT, SSHD_DROPIN_PATH, renderSshdDropIn } from "./sshd";
import { KUBELET_SYSCTL_PATH, SYSCTL_PATH, hardeningSysctls, kubeletSysctls, renderSysctlFile } from "./sysctl";

/** What has to happen on the guest after a file changed. */
type ApplyStep = "sshd" | "sysctl" | "nftables" | "sudoers" | "none";

export type GuestFile = { path: string; mode: string; content: string; apply: ApplyStep };

const SUDOERS_PATH = "/etc/sudoers.d/90-skjold-admin";
const CORE_LIMITS_PATH = "/etc/security/limits.d/60-skjold-no-core.conf";
const COREDUMP_PATH = "/etc/systemd/coredump.conf.d/60-skjold.conf";

/** Every root-owned file a hardened guest carries; cloud-init writes them at first boot, hardenGuest keeps them. */
export function renderGuestFiles(opts: GuestHardening): GuestFile[] {
  const files: GuestFile[] = [
    { path: SSHD_DROPIN_PATH, mode: "600", content: renderSshdDropIn(opts), apply: "sshd" },
    { path: BANNER_PATH, mode: "644", content: BANNER_TEXT, apply: "none" },
    {
      path: SYSCTL_PATH,
      mode: "644",
      content: renderSysctlFile(hardeningSysctls(opts.role), "CIS Debian 12 sections 1.5 and 3.3"),
      apply: "sysctl",
    },
    { path: NFTABLES_PATH, mode: "700", content: renderNftables(opts), apply: "nftables" },
    { path: AUTO_UPGRADES_PATH, mode: "644", content: renderAutoUpgrades(), apply: "none" },
    { path: UNATTENDED_PATH, mode: "644", content: renderUnattendedUpgrades(), apply: "none" },
    { path: CORE_LIMITS_PATH, mode: "644", content: "# Managed by Skjold: no core dumps (CIS 1.5.3)\n* hard core 0\n", apply: "none" },
    { path: COREDUMP_PATH, mode: "644", content: "[Coredump]\nStorage=none\nProcessSizeMax=0\n", apply: "none" },
    {
      path: SUDOERS_PATH,
      mode: "440",
      content: `# Managed by Skjold: the admin logs in by key only, so sudo cannot ask for a password\n${opts.adminUser} ALL=(ALL:ALL) NOPASSWD: ALL\n`,
      apply: "sudoers",
    },
  ];
  const kubelet = kubeletSysctls(opts.role);
  if (Object.keys(kubelet).length) {
    files.push({
      path: KUBELET_SYSCTL_PATH,
      mode: "644",
      content: renderSysctlFile(kubelet, "k3s CIS hardening guide, protect-kernel-defaults"),
      apply: "sysctl",
    });
  }
  return files;
}

/** The admin's authorized_keys: the tenant's key first, then any management keys. */
export function renderAuthorizedKeys(opts: GuestHardening): string {
  return `${[opts.sshPublicKey, ...opts.extraSshPublicKeys].join("\n")}\n`;
}
