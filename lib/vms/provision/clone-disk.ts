import type { PrismaClient } from "../../generated/prisma/client";
import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { createCloneVolume, deleteVolume } from "../../libvirt/volumes";
import { loadVm, requirePlaced, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeVmLocations, openVmLocation } from "../shared/vm-locations";
import { diskVolumeName } from "../shared/volume-names";
import type { ProvisionVmPayload } from "./payload";

// The VM's disk: a copy-on-write clone of the host's base image, opened in the residency ledger.
// The host side is one round trip (the base image's path is known from its pool); clone-and-seed
// runs it at the same time as the seed's.

const GIB = 2 ** 30;

export interface VmDisk {
  name: string;
  path: string;
  baseVolume: string;
}

/** The clone on the host (idempotent: an existing disk is kept). */
export async function cloneVmDisk(prisma: PrismaClient, vm: PlacedVm): Promise<VmDisk> {
  const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: vm.imageId, hostId: vm.host.id } } });
  if (!copy)
    throw new AppError("NOT_FOUND", `Image ${vm.image.name} is not on host ${vm.host.name}`, {
      key: "error.image.notOnHost",
      params: { image: vm.image.name, host: vm.host.name },
    });
  const disk = await createCloneVolume({
    ...vmHostContext(vm, prisma),
    storagePool: vm.pool.name,
    baseVolume: copy.volume,
    basePath: `${vm.pool.path.replace(/\/+$/, "")}/${copy.volume}`,
    name: diskVolumeName(vm.domainName),
    capacityBytes: vm.diskGb * GIB,
  });
  return { name: disk.name, path: disk.path, baseVolume: copy.volume };
}

/** What the VM's row, the ledger and the timeline say once the disk is there. */
export async function recordVmDisk(opts: { prisma: PrismaClient; vm: PlacedVm; disk: VmDisk }): Promise<void> {
  const { prisma, vm, disk } = opts;
  await prisma.virtualMachine.update({ where: { id: vm.id }, data: { diskVolume: disk.name } });
  await openVmLocation({ prisma, vm, kind: "VM_DISK", volume: disk.name, path: disk.path });
  await addVmEvent({
    prisma,
    vmId: vm.id,
    kind: "disk",
    message: `Disk ${disk.name} (${vm.diskGb} GB, copy-on-write of ${disk.baseVolume}) on ${vm.host.name}/${vm.pool.name}`,
    key: "event.disk",
    params: { disk: disk.name, size: vm.diskGb, base: disk.baseVolume, host: vm.host.name, pool: vm.pool.name },
  });
}

export async function removeVmDisk(prisma: PrismaClient, vm: PlacedVm): Promise<void> {
  await deleteVolume({ ...vmHostContext(vm, prisma), storagePool: vm.pool.name, volume: diskVolumeName(vm.domainName) });
  await closeVmLocations({ prisma, vmId: vm.id, kinds: ["VM_DISK"] });
}

export const cloneDiskStep: StepDefinition<ProvisionVmPayload> = {
  key: "clone-disk",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const disk = await cloneVmDisk(prisma, vm);
    await recordVmDisk({ prisma, vm, disk });
    return { volume: disk.name, path: disk.path };
  },
  async compensate({ prisma, payload }) {
    await removeVmDisk(prisma, requirePlaced(await loadVm(prisma, payload.vmId)));
  },
};
