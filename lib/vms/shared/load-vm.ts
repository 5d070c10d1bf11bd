import { AppError } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { hostContext, sharedSshPool } from "../../hosts/host-target";
import type { HostContext } from "../../libvirt/virsh";

// What every VM operation reads about its VM, and how it reaches the VM's host.

export async function loadVm(prisma: PrismaClient, vmId: string) {
  const vm = await prisma.virtualMachine.findUnique({
    where: { id: vmId },
    include: { host: true, pool: true, region: true, image: true, plan: true, sshKey: true, team: { select: { id: true, slug: true } } },
  });
  if (!vm) throw new AppError("NOT_FOUND", `VM ${vmId} no longer exists`, { key: "error.vm.gone", params: { vmId } });
  return vm;
}
export type LoadedVm = Awaited<ReturnType<typeof loadVm>>;
export type PlacedVm = LoadedVm & { host: NonNullable<LoadedVm["host"]>; pool: NonNullable<LoadedVm["pool"]> };

export function requirePlaced(vm: LoadedVm): PlacedVm {
  if (!vm.host || !vm.pool)
    throw new AppError("CONFLICT", `VM ${vm.name} has no host yet`, { key: "error.vm.noHost", params: { name: vm.name } });
  return vm as PlacedVm;
}

/**
 * The host over pooled SSH, refusing a host whose key is unconfirmed or changed. A host marked
 * OFFLINE is marked ONLINE again once this reaches it.
 */
export function vmHostContext(vm: PlacedVm, prisma: Pick<PrismaClient, "$executeRaw">): HostContext {
  return hostContext(vm.host, sharedSshPool(), { prisma });
}
