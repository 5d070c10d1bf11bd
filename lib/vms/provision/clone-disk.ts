import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { createCloneVolume, deleteVolume } from "../../libvirt/volumes";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeVmLocations, openVmLocation } from "../shared/vm-locations";
import { diskVolumeName } from "../shared/volume-names";
import type { ProvisionVmPayload } from "./payload";

// The VM's disk: a copy-on-write clone of the host's base image, opened in the residency ledger.

const GIB = 2 ** 30;

export const cloneDiskStep: StepDefinition<ProvisionVmPayload> = {
  key: "clone-disk",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: vm.imageId, hostId: vm.host.id } } });
    if (!copy) throw new AppError("NOT_FOUND", `Image ${vm.image.name} is not on host ${vm.host.name}`);
    const ctx = vmHostContext(vm, prisma);
    const disk = await createCloneVolume({
      ...ctx,
      storagePool: vm.pool.name,
      baseVolume: copy.volume,
      name: diskVolumeName(vm.domainName),
      capacityBytes: vm.diskGb * GIB,
    });
    await prisma.virtualMachine.update({ where: { id: vm.id }, data: { diskVolume: disk.name } });
    await openVmLocation({ prisma, vm, kind: "VM_DISK", volume: disk.name, path: disk.path });
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "disk",
      message: `Disk ${disk.name} (${vm.diskGb} GB, copy-on-write of ${copy.volume}) on ${vm.host.name}/${vm.pool.name}`,
    });
    return { volume: disk.name, path: disk.path };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await deleteVolume({ ...vmHostContext(vm, prisma), storagePool: vm.pool.name, volume: diskVolumeName(vm.domainName) });
    await closeVmLocations({ prisma, vmId: vm.id, kinds: ["VM_DISK"] });
  },
};
