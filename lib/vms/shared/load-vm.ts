import { AppError } from "../../core/errors";
import { decryptSecret } from "../../core/secrets";
import type { PrismaClient } from "../../generated/prisma/client";
import { hostContext, hostTarget, sharedSshPool } from "../../hosts/host-target";
import type { HostContext } from "../../libvirt/virsh";
import type { SshTarget } from "../../ssh/target";

// What every provisioning step reads about its VM, and how it reaches the VM's host and guest.

export async function loadVm(prisma: PrismaClient, vmId: string) {
  const vm = await prisma.virtualMachine.findUnique({
    where: { id: vmId },
    include: { host: true, pool: true, region: true, image: true, plan: true, sshKey: true, team: { select: { id: true, slug: true } } },
  });
  if (!vm) throw new AppError("NOT_FOUND", `VM ${vmId} no longer exists`);
  return vm;
}
export type LoadedVm = Awaited<ReturnType<typeof loadVm>>;
export type PlacedVm = LoadedVm & { host: NonNullable<LoadedVm["host"]>; pool: NonNullable<LoadedVm["pool"]> };

export function requirePlaced(vm: LoadedVm): PlacedVm {
  if (!vm.host || !vm.pool) throw new AppError("CONFLICT", `VM ${vm.name} has no host yet`);
  return vm as PlacedVm;
}

/** The host over pooled SSH, refusing a host whose key is unconfirmed or changed. */
export function vmHostContext(vm: PlacedVm): HostContext {
  return hostContext(vm.host, sharedSshPool());
}

/** Volume names follow the domain name, so a sweep by name finds whatever a step left half-made. */
export const diskVolumeName = (domainName: string) => `${domainName}.qcow2`;
export const seedVolumeName = (domainName: string) => `${domainName}-seed.img`;

/**
 * The guest as Skjold reaches it: as the admin user with the VM's management key, its host key
 * pinned (seeded by Skjold), tunnelled through the host to the forwarded port on the host's loopback.
 */
export function guestTarget(vm: PlacedVm): SshTarget {
  if (!vm.mgmtKeyEnc || !vm.guestHostKeyFingerprint || !vm.sshPort) {
    throw new AppError("CONFLICT", `VM ${vm.name}: no management key, guest host key or SSH port recorded yet`);
  }
  return {
    label: vm.name,
    host: "127.0.0.1",
    port: vm.sshPort,
    username: vm.adminUser,
    privateKey: decryptSecret(vm.mgmtKeyEnc),
    hostKeyFingerprint: vm.guestHostKeyFingerprint,
    via: hostTarget(vm.host),
  };
}

export async function addVmEvent(opts: { prisma: Pick<PrismaClient, "vmEvent">; vmId: string; kind: string; message: string }): Promise<void> {
  await opts.prisma.vmEvent.create({ data: { vmId: opts.vmId, kind: opts.kind, message: opts.message.slice(0, 1_000) } });
}
