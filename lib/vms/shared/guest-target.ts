import { AppError } from "../../core/errors";
import { decryptSecret } from "../../core/secrets";
import type { Host, VirtualMachine } from "../../generated/prisma/client";
import { hostTarget } from "../../hosts/host-target";
import type { SshTarget } from "../../ssh/target";
import type { PlacedVm } from "./load-vm";

// The guest as Skjold reaches it: as the admin user with the VM's management key, its host key
// pinned (seeded by Skjold), tunnelled through its host (to the forwarded port on the host's loopback,
// or to the guest's own address on a bridged host).

type GuestRow = Pick<
  VirtualMachine,
  "name" | "adminUser" | "sshHost" | "sshPort" | "ipAddress" | "guestHostKeyFingerprint" | "mgmtKeyEnc" | "clusterRole"
>;

/** The guest's SSH target behind its host, reached through `via` (pure apart from decrypting the key). */
export function guestTargetThrough(opts: { vm: GuestRow; host: Pick<Host, "networkMode">; via: SshTarget }): SshTarget {
  const { vm, host, via } = opts;
  const missing = !vm.mgmtKeyEnc ? "its management key" : !vm.guestHostKeyFingerprint ? "its pinned host key" : null;
  if (missing)
    throw new AppError("CONFLICT", `VM ${vm.name} cannot be verified: ${missing} is not recorded (was it provisioned by Skjold?)`);
  const bridged = host.networkMode === "BRIDGED";
  const address = bridged ? vm.ipAddress : (vm.sshHost ?? "127.0.0.1");
  const port = bridged ? 22 : vm.sshPort;
  if (!address || !port) throw new AppError("CONFLICT", `VM ${vm.name} has no SSH address recorded`);
  return {
    label: vm.name,
    host: address,
    port,
    username: vm.adminUser,
    privateKey: decryptSecret(vm.mgmtKeyEnc!),
    hostKeyFingerprint: vm.guestHostKeyFingerprint,
    via,
  };
}

/** A VM being provisioned, through its host over the shared pool (lab hosts: the forwarded port). */
export function guestTarget(vm: PlacedVm): SshTarget {
  if (!vm.mgmtKeyEnc || !vm.guestHostKeyFingerprint || !vm.sshPort) {
    throw new AppError("CONFLICT", `VM ${vm.name}: no management key, guest host key or SSH port recorded yet`);
  }
  return guestTargetThrough({ vm, host: vm.host, via: hostTarget(vm.host) });
}
