import { z } from "zod";
import { AppError } from "../../core/errors";
import { defineJob } from "../../jobs/define";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeVmLocations } from "../shared/vm-locations";
import { releaseVmAddresses } from "../../network/release-vm-addresses";
import { removeVmFromHost } from "./remove-vm-from-host";
import { leavePrivateSegments, loadPrivateNics } from "../shared/private-nics";

// Deleting a VM removes what it has on its host and closes its residency entries; the row, its
// events, jobs and reports stay as history (state DELETED).

const DeleteVmPayload = z.strictObject({ vmId: z.uuid() });

export const deleteVmJob = defineJob({
  name: "vm.delete",
  payload: DeleteVmPayload,
  retry: { maxAttempts: 30, baseDelayMs: 1_000, maxDelayMs: 15_000 },
  steps: [
    {
      // A provisioning job still running (or rolling back after its cancel) must end first.
      key: "await-provisioning",
      async run({ prisma, payload }) {
        const busy = await prisma.job.count({
          where: {
            vmId: payload.vmId,
            kind: { in: ["vm.provision", "vm.power", "vm.personalise", "vm.warm", "vm.firewall", "vm.private-nic"] },
            finishedAt: null,
          },
        });
        if (busy > 0)
          throw new AppError("BUSY", "waiting for the VM's running job to finish or roll back", {
            transient: true,
            key: "error.vm.deleteWaiting",
          });
      },
    },
    {
      key: "mark-deleting",
      async run({ prisma, payload }) {
        const vm = await loadVm(prisma, payload.vmId);
        if (vm.state === "DELETED") return { already: true };
        await prisma.virtualMachine.update({ where: { id: vm.id }, data: { state: "DELETING" } });
        await addVmEvent({ prisma, vmId: vm.id, kind: "deleting", message: "Deletion started", key: "event.deleting" });
        return { already: false };
      },
    },
    {
      key: "remove-from-host",
      async run({ prisma, payload }) {
        const vm = await loadVm(prisma, payload.vmId);
        if (!vm.host || !vm.pool) return { removed: false };
        const placed = requirePlaced(vm);
        await removeVmFromHost({
          ctx: vmHostContext(placed, prisma),
          domainName: vm.domainName,
          storagePool: placed.pool.name,
          networkMode: placed.host.networkMode,
          addresses: { ipv4: vm.ipAddress, ipv6: vm.ipv6Address },
        });
        // Its private networks leave the host when it was their last member there; the other hosts stop flooding to it.
        await leavePrivateSegments({
          prisma,
          ctx: vmHostContext(placed, prisma),
          vmId: vm.id,
          hostId: placed.host.id,
          nics: await loadPrivateNics(prisma, vm.id),
        });
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "removed",
          message: `Domain ${vm.domainName}, its disk and its seed removed from ${placed.host.name}`,
          key: "event.removed",
          params: { domain: vm.domainName, host: placed.host.name },
        });
        return { removed: true };
      },
    },
    {
      key: "close-residency",
      async run({ prisma, payload }) {
        await closeVmLocations({ prisma, vmId: payload.vmId });
      },
    },
    {
      key: "finish",
      async run({ prisma, payload }) {
        const vm = await loadVm(prisma, payload.vmId);
        if (vm.state !== "DELETING" && vm.state !== "DELETED")
          throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}`, {
            key: "error.vm.inState",
            params: { name: vm.name, vmState: vm.state },
          });
        if (vm.state === "DELETING") {
          // Its addresses rest in quarantine when the VM ran with them, so they do not pass to the next
          // tenant at once; the row keeps them as history.
          const released = await prisma.$transaction(async (tx) => {
            await tx.virtualMachine.update({ where: { id: vm.id }, data: { state: "DELETED", deletedAt: new Date(), sshPort: null } });
            // Its private addresses are free again at once (a private range is the team's own, nobody else's).
            await tx.privateNic.deleteMany({ where: { vmId: vm.id } });
            return releaseVmAddresses({ tx, vmId: vm.id, quarantine: vm.readyAt !== null });
          });
          const until = released[0]?.quarantineUntil;
          const rest =
            released.length && until && until > new Date()
              ? `; its addresses rest until ${until.toISOString()} before anyone else gets them`
              : released.length
                ? "; its addresses are free again"
                : "";
          await addVmEvent({
            prisma,
            vmId: vm.id,
            kind: "deleted",
            message: `Deleted; its history stays${rest}`,
            key:
              released.length && until && until > new Date()
                ? "event.deletedResting"
                : released.length
                  ? "event.deletedFree"
                  : "event.deleted",
            params: { until: until?.toISOString() },
          });
        }
      },
    },
  ],
});
