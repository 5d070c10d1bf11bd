// Automatic security updates (CIS Debian 12 1.2.2 and seed §4): the image ships unattended-upgrades;
// these files switch it on and limit it to the security origin.
export const AUTO_UPGRADES_PATH = "/etc/apt/apt.conf.d/20auto-upgrades";
export const UNATTENDED_PATH = "/etc/apt/apt.conf.d/52skjold-unattended-upgrades";

export function renderAutoUpgrades(): string {
  return ['APT::Periodic::Update-Package-Lists "1";', 'APT::Periodic::Unattended-Upgrade "1";', ""].join("\n");
}

export function renderUnattendedUpgrades(): string {
  return [
    "// Managed by Skjold",
    "Unattended-Upgrade::Origins-Pattern {",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${distro_codename} is unattended-upgrades' own variable
    '  "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";',
    "};",
    'Unattended-Upgrade::Remove-Unused-Kernel-Packages "true";',
    'Unattended-Upgrade::Automatic-Reboot "false";',
    "",
  ].join("\n");
}
