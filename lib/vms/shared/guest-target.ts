import { AppError } from "../../core/errors";
import { decryptSecret } from "../../core/secrets";
import type { Host, VirtualMachine } from "../../generated/prisma/client";
import { hostTarget } from "../../hosts/host-target";
import type { SshTarget } from "../../ssh/target";
import type { PlacedVm } from "./load-vm";

// The guest as Skjold reaches it: as the admin user with the VM's management key, its host key
// pinned (seeded by Skjold). A lab guest is reached through its host at the port forwarded on the
// host's loopback; a routed or bridged guest at its own address, through its host or, where the
// portal routes to the guests (the host's guestAccess is DIRECT), straight.

type GuestRow = Pick<
  VirtualMachine,
  "name" | "adminUser" | "sshHost" | "sshPort" | "ipAddress" | "guestHostKeyFingerprint" | "mgmtKeyEnc" | "clusterRole"
>;

/** The guest's SSH target behind its host, reached through `via` (pure apart from decrypting the key). */
export function guestTargetThrough(opts: { vm: GuestRow; host: Pick<Host, "networkMode" | "guestAccess">; via: SshTarget }): SshTarget {
  const { vm, host, via } = opts;
  const missing = !vm.mgmtKeyEnc ? "its management key" : !vm.guestHostKeyFingerprint ? "its pinned host key" : null;
  if (missing)
    throw new AppError("CONFLICT", `VM ${vm.name} cannot be verified: ${missing} is not recorded (was it provisioned by Skjold?)`);
  const own = host.networkMode !== "USER_FORWARD";
  const address = own ? vm.ipAddress : (vm.sshHost ?? "127.0.0.1");
  const port = own ? 22 : vm.sshPort;
  if (!address || !port)
    throw new AppError("CONFLICT", `VM ${vm.name} has no SSH address recorded`, {
      key: "error.vm.noSshAddress",
      params: { name: vm.name },
    });
  return {
    label: vm.name,
    host: address,
    port,
    username: vm.adminUser,
    privateKey: decryptSecret(vm.mgmtKeyEnc!),
    hostKeyFingerprint: vm.guestHostKeyFingerprint,
    via: own && host.guestAccess === "DIRECT" ? undefined : via,
  };
}

/** A VM being provisioned, through its host over the shared pool (lab hosts: the forwarded port). */
export function guestTarget(vm: PlacedVm): SshTarget {
  if (!vm.mgmtKeyEnc || !vm.guestHostKeyFingerprint || !(vm.sshPort || vm.ipAddress)) {
    throw new AppError("CONFLICT", `VM ${vm.name}: no management key, guest host key or SSH address recorded yet`, {
      key: "error.vm.notReachableYet",
      params: { name: vm.name },
    });
  }
  return guestTargetThrough({ vm, host: vm.host, via: hostTarget(vm.host) });
}
