import { notFound } from "../../core/errors";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";

/** The VM's backup for a caller who may operate the VM; anything else is not found. */
export async function findVmBackup(opts: VmRequest & { backupId: string }) {
  const { team, vm } = await findTeamVm(opts);
  const backup = /^[0-9a-f-]{36}$/i.test(opts.backupId)
    ? await opts.prisma.backup.findUnique({ where: { id: opts.backupId }, include: { target: true } })
    : null;
  if (!backup || backup.vmId !== vm.id) throw notFound("Backup not found", { key: "error.backup.notFound" });
  return { team, vm, backup };
}
