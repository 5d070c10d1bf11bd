import { AppError } from "../../core/errors";
import { encryptSecret } from "../../core/secrets";
import { guestRoleOf } from "../../guest/guest-role";
import type { StepDefinition } from "../../jobs/define";
import { createSeedVolume, deleteVolume } from "../../libvirt/volumes";
import { generateKeyPair } from "../../ssh/keygen";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeVmLocations, openVmLocation } from "../shared/vm-locations";
import { seedVolumeName } from "../shared/volume-names";
import type { ProvisionVmPayload } from "./payload";
import { buildVmSeed } from "./vm-seed";
import { guestNetworkConfigOf } from "./guest-network";

// The cloud-init seed: the tenant's key, Skjold's per-VM management key (made once, kept encrypted)
// and the guest's own host key, generated here so it is pinned before the first connection.

export const buildSeedStep: StepDefinition<ProvisionVmPayload> = {
  key: "build-seed",
  async run({ prisma, payload }) {
    let vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const tenantKey = vm.sshKey;
    if (!tenantKey) throw new AppError("VALIDATION", `The SSH key chosen for ${vm.name} was deleted; order again with another key`);
    if (!vm.mgmtKeyEnc || !vm.mgmtPublicKey) {
      const mgmt = generateKeyPair({ comment: `skjold-mgmt@${vm.domainName}` });
      await prisma.virtualMachine.update({
        where: { id: vm.id },
        data: { mgmtKeyEnc: encryptSecret(mgmt.privateKey), mgmtPublicKey: mgmt.publicKey },
      });
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
      networkConfig: await guestNetworkConfigOf(prisma, vm),
    });
    const ctx = vmHostContext(vm, prisma);
    const vol = await createSeedVolume({ ...ctx, storagePool: vm.pool.name, name: seedVolumeName(vm.domainName), ...seed });
    await prisma.virtualMachine.update({
      where: { id: vm.id },
      data: { seedVolume: vol.name, guestHostKey: hostKey.publicKey, guestHostKeyFingerprint: hostKey.fingerprint },
    });
    await openVmLocation({ prisma, vm, kind: "VM_SEED", volume: vol.name, path: vol.path });
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "seed",
      message: `cloud-init seed built: user ${vm.adminUser}, key ${tenantKey.name}, guest host key ${hostKey.fingerprint}`,
    });
    return { volume: vol.name, guestHostKeyFingerprint: hostKey.fingerprint };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await deleteVolume({ ...vmHostContext(vm, prisma), storagePool: vm.pool.name, volume: seedVolumeName(vm.domainName) });
    await closeVmLocations({ prisma, vmId: vm.id, kinds: ["VM_SEED"] });
  },
};
