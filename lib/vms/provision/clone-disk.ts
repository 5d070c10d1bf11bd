import { AppError } from "../../core/errors";
import { encryptSecret } from "../../core/secrets";
import type { StepDefinition } from "../../jobs/define";
import { createCloneVolume, createSeedVolume, deleteVolume } from "../../libvirt/volumes";
import { generateKeyPair } from "../../ssh/keygen";
import type { ProvisionVmPayload } from "./payload";
import { closeVmLocations, openVmLocation } from "../shared/vm-locations";
import { guestRoleOf } from "../../guest/guest-role";
import { buildVmSeed } from "./vm-seed";
import { addVmEvent, diskVolumeName, loadVm, requirePlaced, seedVolumeName, vmHostContext } from "../shared/load-vm";

const GIB = 2 ** 30;

export const cloneDiskStep: StepDefinition<ProvisionVmPayload> = {
  key: "clone-disk",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: vm.imageId, hostId: vm.host.id } } });
    if (!copy) throw new AppError("NOT_FOUND", `Image ${vm.image.name} is not on host ${vm.host.name}`);
    const ctx = vmHostContext(vm);
    const disk = await createCloneVolume({ ...ctx, storagePool: vm.pool.name, baseVolume: copy.volume, name: diskVolumeName(vm.domainName), capacityBytes: vm.diskGb * GIB });
    await prisma.virtualMachine.update({ where: { id: vm.id }, data: { diskVolume: disk.name } });
    await openVmLocation({ prisma, vm, kind: "VM_DISK", volume: disk.name, path: disk.path });
    await addVmEvent({ prisma, vmId: vm.id, kind: "disk", message: `Disk ${disk.name} (${vm.diskGb} GB, copy-on-write of ${copy.volume}) on ${vm.host.name}/${vm.pool.name}` });
    return { volume: disk.name, path: disk.path };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await deleteVolume({ ...vmHostContext(vm), storagePool: vm.pool.name, volume: diskVolumeName(vm.domainName) });
    await closeVmLocations({ prisma, vmId: vm.id, kinds: ["VM_DISK"] });
  },
};

export const buildSeedStep: StepDefinition<ProvisionVmPayload> = {
  key: "build-seed",
  async run({ prisma, payload }) {
    let vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const tenantKey = vm.sshKey;
    if (!tenantKey) throw new AppError("VALIDATION", `The SSH key chosen for ${vm.name} was deleted; order again with another key`);
    if (!vm.mgmtKeyEnc || !vm.mgmtPublicKey) {
      const mgmt = generateKeyPair({ comment: `skjold-mgmt@${vm.domainName}` });
      await prisma.virtualMachine.update({ where: { id: vm.id }, data: { mgmtKeyEnc: encryptSecret(mgmt.privateKey), mgmtPublicKey: mgmt.publicKey } });
      vm = requirePlaced(await loadVm(prisma, payload.vmId));
    }
    // A fresh guest host key on every run of this step: the seed is replaced as a whole with it.
    const hostKey = generateKeyPair({ comment: `root@${vm.name}` });
    const seed = buildVmSeed({
      hostname: vm.name,
      instanceId: vm.domainName,
      adminUser: vm.adminUser,
      tenantPublicKey: tenantKey.publicKey,
      managementPublicKey: vm.mgmtPublicKey!,
      hostKey,
      role: guestRoleOf(vm.clusterRole),
    });
    const ctx = vmHostContext(vm);
    const vol = await createSeedVolume({ ...ctx, storagePool: vm.pool.name, name: seedVolumeName(vm.domainName), ...seed });
    await prisma.virtualMachine.update({
      where: { id: vm.id },
      data: { seedVolume: vol.name, guestHostKey: hostKey.publicKey, guestHostKeyFingerprint: hostKey.fingerprint },
    });
    await openVmLocation({ prisma, vm, kind: "VM_SEED", volume: vol.name, path: vol.path });
    await addVmEvent({ prisma, vmId: vm.id, kind: "seed", message: `cloud-init seed built: user ${vm.adminUser}, key ${tenantKey.name}, guest host key ${hostKey.fingerprint}` });
    return { volume: vol.name, guestHostKeyFingerprint: hostKey.fingerprint };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await deleteVolume({ ...vmHostContext(vm), storagePool: vm.pool.name, volume: seedVolumeName(vm.domainName) });
    await closeVmLocations({ prisma, vmId: vm.id, kinds: ["VM_SEED"] });
  },
};
