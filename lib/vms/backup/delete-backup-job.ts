import { backupTargetContext, loadBackupTarget } from "../../backup-targets/target-context";
import { defineJob } from "../../jobs/define";
import { runVirsh } from "../../libvirt/virsh";
import { assertDomainName, assertVolumeName } from "../../ssh/quote";
import { loadVm, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { closeBackupLocation } from "./backup-locations";
import { removeVolume } from "./host-backup";
import { BackupJobPayload } from "./schemas";

// vm.backup-delete: the file removed from the target, the ledger entry closed, the row kept as
// DELETED history. Its checkpoint on the VM goes too (its bitmap merges into the one before it).

export const deleteBackupJob = defineJob({
  name: "vm.backup-delete",
  payload: BackupJobPayload,
  retry: { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 20_000 },
  steps: [
    {
      key: "remove",
      async run({ prisma, payload }) {
        const backup = await prisma.backup.findUniqueOrThrow({ where: { id: payload.backupId } });
        const target = await loadBackupTarget(prisma, backup.targetId);
        await removeVolume({ ...backupTargetContext(target, prisma), storagePool: target.pool.name, volume: backup.volume });
        await closeBackupLocation({ prisma, backupId: backup.id });
        const vm = await loadVm(prisma, backup.vmId);
        if (vm.host && vm.pool && vm.state !== "DELETED")
          await runVirsh({
            ...vmHostContext(vm as PlacedVm, prisma),
            args: ["checkpoint-delete", "--", assertDomainName(vm.domainName), assertVolumeName(backup.checkpoint)],
            step: "remove the backup's checkpoint",
            allowFailure: true,
          });
        await prisma.backup.update({ where: { id: backup.id }, data: { state: "DELETED", deletedAt: new Date() } });
        await addVmEvent({
          prisma,
          vmId: backup.vmId,
          kind: "backup-deleted",
          message: `Backup ${backup.id.slice(0, 8)} deleted from ${target.name}`,
          key: "event.backupDeleted",
          params: { backup: backup.id.slice(0, 8), target: target.name },
        });
        return { deleted: true };
      },
    },
  ],
});
