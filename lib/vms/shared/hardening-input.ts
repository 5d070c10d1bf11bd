import { AppError } from "../../core/errors";
import { guestRoleOf } from "../../guest/guest-role";
import type { LoadedVm } from "./load-vm";

/**
 * The hardening input of a VM as Skjold provisioned it: its tenant's key, Skjold's management key and
 * the guest role of its cluster role. A k3s cluster re-applies it with its nodes' addresses. A warm
 * guest (no team yet) has the management key in the tenant key's place, as its seed has.
 */
export function hardeningInputOf(vm: LoadedVm) {
  const tenantKey = vm.teamId ? (vm.sshKey?.publicKey ?? null) : null;
  if (vm.teamId && !tenantKey)
    throw new AppError("VALIDATION", `The SSH key chosen for ${vm.name} was deleted; order again with another key`, {
      key: "error.vm.sshKeyDeleted",
      params: { name: vm.name },
    });
  if (!vm.mgmtPublicKey)
    throw new AppError("CONFLICT", `VM ${vm.name} has no management key recorded (was it provisioned by Skjold?)`, {
      key: "error.vm.noManagementKey",
      params: { name: vm.name },
    });
  return {
    adminUser: vm.adminUser,
    sshPublicKey: tenantKey ?? vm.mgmtPublicKey,
    extraSshPublicKeys: [vm.mgmtPublicKey],
    role: guestRoleOf(vm.clusterRole),
  };
}
