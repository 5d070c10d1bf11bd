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
  host: { name: string; address: string; port: number; username: string; networkMode: string } | null;
}): SshAccess {
  if (!vm.host || !vm.sshPort || vm.state === "DELETED" || vm.state === "FAILED") {
    return { sshCommand: null, sshReach: null, sshNote: "No SSH access: the VM is not (or no longer) on a host." };
  }
  const target = `-p ${vm.sshPort} ${vm.adminUser}@${vm.sshHost ?? "127.0.0.1"}`;
  if (LOOPBACK.test(vm.host.address)) {
    return {
      sshCommand: `ssh ${target}`,
      sshReach: "direct",
      sshNote: `The guest's SSH is forwarded to port ${vm.sshPort} on ${vm.host.name}'s loopback; this works on ${vm.host.name} itself (the lab host is this machine).`,
    };
  }
  return {
    sshCommand: `ssh -J ${vm.host.username}@${vm.host.address}:${vm.host.port} ${target}`,
    sshReach: "via-host",
    sshNote: `The guest is reachable only through its host ${vm.host.name} (user-mode networking): the jump needs an account on that host.`,
  };
}
