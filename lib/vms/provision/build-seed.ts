import type { PrismaClient } from "../../generated/prisma/client";
import { AppError } from "../../core/errors";
import { encryptSecret } from "../../core/secrets";
import { guestRoleOf } from "../../guest/guest-role";
import type { StepDefinition } from "../../jobs/define";
import { createSeedVolume, deleteVolume } from "../../libvirt/volumes";
import { generateKeyPair, type GeneratedKeyPair } from "../../ssh/keygen";
import { loadVm, requirePlaced, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeVmLocations, openVmLocation } from "../shared/vm-locations";
import { seedVolumeName } from "../shared/volume-names";
import type { ProvisionVmPayload } from "./payload";
import { buildVmSeed } from "./vm-seed";
import { guestNetworkConfigOf } from "./guest-network";

// The cloud-init seed: the tenant's key, Skjold's per-VM management key (made once, kept encrypted)
// and the guest's own host key, generated here so it is pinned before the first connection. The
// files go to the host in the same round trip that builds and uploads the seed.

export interface VmSeed {
  name: string;
  path: string;
  hostKey: { publicKey: string; fingerprint: string };
  tenantKeyName: string;
}

/**
 * Builds the seed and puts it on the host; the VM's row learns its management key (once) here. A warm
 * guest (no team yet) is seeded with Skjold's management key only; personalisation rebuilds the seed
 * of a claimed one with the tenant's key, the host key it installs and a new instance id.
 */
export async function buildVmSeedVolume(prisma: PrismaClient, vm: PlacedVm, personalised?: { hostKey: GeneratedKeyPair }): Promise<VmSeed> {
  const warm = !vm.teamId;
  const tenantKey = warm ? null : vm.sshKey;
  if (!warm && !tenantKey)
    throw new AppError("VALIDATION", `The SSH key chosen for ${vm.name} was deleted; order again with another key`, {
      key: "error.vm.sshKeyDeleted",
      params: { name: vm.name },
    });
  let managementPublicKey = vm.mgmtKeyEnc ? vm.mgmtPublicKey : null;
  if (!managementPublicKey) {
    const mgmt = generateKeyPair({ comment: `skjold-mgmt@${vm.domainName}` });
    await prisma.virtualMachine.update({
      where: { id: vm.id },
      data: { mgmtKeyEnc: encryptSecret(mgmt.privateKey), mgmtPublicKey: mgmt.publicKey },
    });
    managementPublicKey = mgmt.publicKey;
  }
  // A fresh guest host key on every run: the seed is replaced as a whole with it.
  const hostKey = personalised?.hostKey ?? generateKeyPair({ comment: `root@${vm.name}` });
  const seed = buildVmSeed({
    hostname: vm.name,
    instanceId: instanceIdOf(vm),
    adminUser: vm.adminUser,
    tenantPublicKey: tenantKey?.publicKey ?? managementPublicKey,
    managementPublicKey,
    hostKey,
    role: guestRoleOf(vm.clusterRole),
    networkConfig: await guestNetworkConfigOf(prisma, vm),
  });
  const vol = await createSeedVolume({
    ...vmHostContext(vm, prisma),
    storagePool: vm.pool.name,
    name: seedVolumeName(vm.domainName),
    ...seed,
  });
  return { name: vol.name, path: vol.path, hostKey, tenantKeyName: tenantKey?.name ?? "none (warm guest: management key only)" };
}

/** cloud-init's instance id: the domain's name, and a new one once a warm guest is handed to a team. */
export function instanceIdOf(vm: Pick<PlacedVm, "domainName" | "warmClaimedAt">): string {
  return vm.warmClaimedAt ? `${vm.domainName}-${vm.warmClaimedAt.getTime().toString(36)}` : vm.domainName;
}

/** Pins the guest host key the seed carries, and opens the seed in the ledger. */
export async function recordVmSeed(opts: { prisma: PrismaClient; vm: PlacedVm; seed: VmSeed }): Promise<void> {
  const { prisma, vm, seed } = opts;
  await prisma.virtualMachine.update({
    where: { id: vm.id },
    data: { seedVolume: seed.name, guestHostKey: seed.hostKey.publicKey, guestHostKeyFingerprint: seed.hostKey.fingerprint },
  });
  await openVmLocation({ prisma, vm, kind: "VM_SEED", volume: seed.name, path: seed.path });
  await addVmEvent({
    prisma,
    vmId: vm.id,
    kind: "seed",
    message: `cloud-init seed built: user ${vm.adminUser}, key ${seed.tenantKeyName}, guest host key ${seed.hostKey.fingerprint}`,
    key: "event.seed",
    params: { user: vm.adminUser, keyName: seed.tenantKeyName, fingerprint: seed.hostKey.fingerprint },
  });
}

export async function removeVmSeed(prisma: PrismaClient, vm: PlacedVm): Promise<void> {
  await deleteVolume({ ...vmHostContext(vm, prisma), storagePool: vm.pool.name, volume: seedVolumeName(vm.domainName) });
  await closeVmLocations({ prisma, vmId: vm.id, kinds: ["VM_SEED"] });
}

export const buildSeedStep: StepDefinition<ProvisionVmPayload> = {
  key: "build-seed",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const seed = await buildVmSeedVolume(prisma, vm);
    await recordVmSeed({ prisma, vm, seed });
    return { volume: seed.name, guestHostKeyFingerprint: seed.hostKey.fingerprint };
  },
  async compensate({ prisma, payload }) {
    await removeVmSeed(prisma, requirePlaced(await loadVm(prisma, payload.vmId)));
  },
};
