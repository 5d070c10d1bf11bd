import type { PrismaClient } from "../../generated/prisma/client";
import type { ResourceKind } from "../../generated/prisma/enums";
import { closeDataLocations, recordDataLocation } from "../../residency";
import type { PlacedVm } from "./load-vm";

// The ledger entries of a VM's disk and seed. Opening checks the ledger first, so a step that runs
// again does not record the same location twice.

export async function openVmLocation(opts: {
  prisma: PrismaClient;
  vm: PlacedVm;
  kind: Extract<ResourceKind, "VM_DISK" | "VM_SEED">;
  volume: string;
  path: string;
}): Promise<void> {
  const { prisma, vm } = opts;
  // A warm guest (no team yet) holds no tenant data: its entries open when an order takes it.
  if (!vm.teamId) return;
  const last = await prisma.dataLocation.findFirst({
    where: { resourceId: vm.id, resourceKind: opts.kind, hostName: vm.host.name, path: opts.path },
    orderBy: { seq: "desc" },
    select: { action: true },
  });
  if (last?.action === "OPEN") return;
  await recordDataLocation({
    prisma,
    teamId: vm.teamId,
    resourceKind: opts.kind,
    resourceId: vm.id,
    resourceName: `${vm.name} ${opts.kind === "VM_DISK" ? "disk" : "cloud-init seed"} (${opts.volume})`,
    regionCode: vm.region.code,
    hostName: vm.host.name,
    poolName: vm.pool.name,
    path: opts.path,
    actor: "skjold provisioning",
  });
}

export async function closeVmLocations(opts: { prisma: PrismaClient; vmId: string; kinds?: ResourceKind[] }): Promise<void> {
  await closeDataLocations({ prisma: opts.prisma, resourceId: opts.vmId, resourceKinds: opts.kinds, actor: "skjold provisioning" });
}
