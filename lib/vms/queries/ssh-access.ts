// How a tenant reaches their VM, in words and as the exact ssh command. A lab guest has user-mode
// networking: its SSH is forwarded to a port on its host's loopback, so it is reachable directly only
// from the host itself (or where the portal shares the host's loopback), otherwise through the host.

export interface SshAccess {
  sshCommand: string | null;
  /** "direct": the command works from where the portal runs; "via-host": it needs a jump through the host */
  sshReach: "direct" | "via-host" | null;
  sshNote: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function describeSshAccess(vm: {
  state: string;
  adminUser: string;
  sshHost: string | null;
  sshPort: number | null;
  ipAddress?: string | null;
  ipv6Address?: string | null;
  host: { name: string; address: string; port: number; username: string; networkMode: string } | null;
}): SshAccess & { sshCommandIpv6: string | null } {
  const none = {
    sshCommand: null,
    sshCommandIpv6: null,
    sshReach: null,
    sshNote: "No SSH access: the VM is not (or no longer) on a host.",
  };
  if (!vm.host || vm.state === "DELETED" || vm.state === "FAILED") return none;
  if (vm.host.networkMode !== "USER_FORWARD") {
    if (!vm.ipAddress) return none;
    return {
      sshCommand: `ssh ${vm.adminUser}@${vm.ipAddress}`,
      sshCommandIpv6: vm.ipv6Address ? `ssh ${vm.adminUser}@${vm.ipv6Address}` : null,
      sshReach: "direct",
      sshNote: `The VM has its own addresses: SSH straight to it from anywhere on the internet, with the key you chose and the host key shown here.`,
    };
  }
  if (!vm.sshPort) return none;
  const target = `-p ${vm.sshPort} ${vm.adminUser}@${vm.sshHost ?? "127.0.0.1"}`;
  if (LOOPBACK.test(vm.host.address)) {
    return {
      sshCommand: `ssh ${target}`,
      sshCommandIpv6: null,
      sshReach: "direct",
      sshNote: `Lab trial (user-mode networking, no address of its own): the guest's SSH is forwarded to port ${vm.sshPort} on ${vm.host.name}'s loopback; this works on ${vm.host.name} itself (the lab host is this machine).`,
    };
  }
  return {
    sshCommand: `ssh -J ${vm.host.username}@${vm.host.address}:${vm.host.port} ${target}`,
    sshCommandIpv6: null,
    sshReach: "via-host",
    sshNote: `Lab trial (user-mode networking, no address of its own): the guest is reachable only through its host ${vm.host.name}, and the jump needs an account on that host.`,
  };
}
