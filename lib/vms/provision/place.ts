import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { placeVm } from "../../placement/place-vm";
import { placeWarmGuest } from "../../placement/warm-pool";
import { NO_PUBLIC_ADDRESSES } from "../../network/allocate-vm-addresses";
import { loadPlacementHosts, lockRegion } from "../../placement/region-snapshot";
import { removeVmFromHost } from "../delete/remove-vm-from-host";
import { addressNote, assignVmAddresses, releaseAddressesOfVm } from "../shared/assign-vm-addresses";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";

// The order reserved a host in the region; this step confirms it is still usable (online, not
// draining, room) or moves the VM to another host of the region, under the region's row lock.

export const PLACEMENT_STRATEGY = "spread" as const;

export const placeStep: StepDefinition<ProvisionVmPayload> = {
  key: "place",
  async run({ prisma, payload }) {
    const vm = await loadVm(prisma, payload.vmId);
    const result = await prisma.$transaction(
      async (tx) => {
        await lockRegion(tx, vm.regionId);
        const hosts = await loadPlacementHosts({ tx, regionId: vm.regionId, imageId: vm.imageId, excludeVmId: vm.id });
        const request = { regionCode: vm.region.code, vcpus: vm.vcpus, memoryMb: vm.memoryMb, diskGb: vm.diskGb };
        // The addresses this VM took on its reserved host count as its own room there.
        const reserved = hosts.filter((h) => h.id === vm.hostId).map((h) => (vm.ipAddress ? { ...h, addressProblem: null } : h));
        const kept = reserved.length ? placeVm({ hosts: reserved, request, strategy: PLACEMENT_STRATEGY }) : null;
        // A warm guest (no team) stays on the host the refill chose, and only while an ordinary order
        // of its plan would still fit there beside it.
        const placed = !vm.team
          ? placeWarmGuest({ hosts: reserved, request })
          : kept?.ok
            ? kept
            : placeVm({ hosts, request, strategy: PLACEMENT_STRATEGY });
        if (!placed.ok) throw new AppError("NO_CAPACITY", placed.explanation);
        const moved = placed.hostId !== vm.hostId;
        await tx.virtualMachine.update({
          where: { id: vm.id },
          data: { hostId: placed.hostId, poolId: placed.poolId, placementNote: placed.explanation, ...(moved ? { sshPort: null } : {}) },
        });
        // Another host has other pools (a routed host's are its own): the reserved addresses go back
        // unused, and the new host's are taken. On the same host this returns what the VM holds.
        if (moved) await releaseAddressesOfVm({ tx, vmId: vm.id, quarantine: false });
        const host = await tx.host.findUniqueOrThrow({ where: { id: placed.hostId } });
        const addresses = vm.team
          ? await assignVmAddresses({ tx, vm: { ...vm, teamId: vm.team.id }, teamSlug: vm.team.slug, host, regionCode: vm.region.code })
          : NO_PUBLIC_ADDRESSES;
        return {
          hostId: placed.hostId,
          poolId: placed.poolId,
          hostName: placed.hostName,
          note: `${placed.explanation}${moved ? addressNote(addresses) : ""}`,
          moved,
        };
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "placed",
      message: `Placed on ${result.hostName}${result.moved ? " (moved from the reserved host)" : ""}: ${result.note}`,
      key: result.moved ? "event.placedMoved" : "event.placed",
      params: { host: result.hostName, note: result.note },
    });
    return result;
  },
  // Whatever a later step left half-made on the host (a step that failed part-way is not
  // compensated by the engine) is found by name and removed here.
  async compensate({ prisma, payload }) {
    const vm = await loadVm(prisma, payload.vmId);
    if (!vm.host || !vm.pool) return;
    const placed = requirePlaced(vm);
    await removeVmFromHost({
      ctx: vmHostContext(placed, prisma),
      domainName: vm.domainName,
      storagePool: placed.pool.name,
      networkMode: placed.host.networkMode,
    });
  },
};
