import type { StepDefinition } from "../../jobs/define";
import { loadVm, requirePlaced } from "../shared/load-vm";
import { buildVmSeedVolume, recordVmSeed, removeVmSeed } from "./build-seed";
import { cloneVmDisk, recordVmDisk, removeVmDisk } from "./clone-disk";
import type { ProvisionVmPayload } from "./payload";

// The disk and the seed at the same time: two round trips on the host's one pooled connection that
// run side by side, then recorded in order (disk, then seed) as clone-disk and build-seed record
// them. Both host sides are awaited even when one fails, so nothing is still being made on the host
// while the job moves on to roll back; what a failed run left is found by name (place's compensation).

export const cloneAndSeedStep: StepDefinition<ProvisionVmPayload> = {
  key: "clone-and-seed",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const [disk, seed] = await Promise.allSettled([cloneVmDisk(prisma, vm), buildVmSeedVolume(prisma, vm)]);
    if (disk.status === "rejected") throw disk.reason;
    if (seed.status === "rejected") throw seed.reason;
    await recordVmDisk({ prisma, vm, disk: disk.value });
    await recordVmSeed({ prisma, vm, seed: seed.value });
    return {
      disk: { volume: disk.value.name, path: disk.value.path },
      seed: { volume: seed.value.name, guestHostKeyFingerprint: seed.value.hostKey.fingerprint },
    };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const removed = await Promise.allSettled([removeVmDisk(prisma, vm), removeVmSeed(prisma, vm)]);
    for (const r of removed) if (r.status === "rejected") throw r.reason;
  },
};
