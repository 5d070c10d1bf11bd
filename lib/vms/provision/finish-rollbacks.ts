import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import { hostContext } from "../../hosts/host-target";
import { isHostOutage } from "../../hosts/judge-host-outage";
import { recordStepHostFailure } from "../../hosts/record-host-failure";
import { describeError } from "../../jobs/errors";
import { blamedHost } from "../../ssh/errors";
import type { SshPool } from "../../ssh/pool";
import { removeVmFromHost } from "../delete/remove-vm-from-host";
import { addVmEvent } from "../shared/vm-events";
import { describeLeftovers, VmLeftovers } from "./leftovers";

// Finishes the rollbacks that could not reach their host: a failed VM whose leftovers are recorded has
// everything it may have on its host removed by name (domain forced off and undefined, disk and seed
// volumes, tap and filter; the same sweep as deleting a VM, so only this VM's own objects are
// touched), as soon as the host answers again, without an admin. Runs on a schedule
// (`finishRollbacksTask`); a host that still does not answer is tried again at the next run.

export interface FinishRollbacksReport {
  /** VMs whose leftovers were removed */
  cleaned: string[];
  /** hosts that did not answer (tried again later) */
  unreachable: string[];
  /** VMs whose clean-up failed for another reason, with why */
  failed: Array<{ vm: string; error: string }>;
}

export async function finishIncompleteRollbacks(opts: {
  prisma: PrismaClient;
  sshPool?: SshPool;
  log?: (line: string) => void;
}): Promise<FinishRollbacksReport> {
  const { prisma } = opts;
  const vms = await prisma.virtualMachine.findMany({
    where: { state: "FAILED", leftovers: { not: Prisma.DbNull }, leftoversRemovedAt: null, hostId: { not: null } },
    select: { id: true, name: true, domainName: true, leftovers: true, host: true, pool: { select: { name: true } } },
    orderBy: { updatedAt: "asc" },
  });
  const report: FinishRollbacksReport = { cleaned: [], unreachable: [], failed: [] };
  for (const vm of vms) {
    const host = vm.host!;
    if (report.unreachable.includes(host.name)) continue;
    if (host.status === "KEY_MISMATCH" || host.status === "PENDING_KEY") continue; // an admin acts first
    const left = VmLeftovers.safeParse(vm.leftovers);
    const pool = left.success ? left.data.pool : vm.pool?.name;
    if (!pool) continue;
    try {
      await removeVmFromHost({
        ctx: hostContext(host, opts.sshPool, { prisma }),
        domainName: vm.domainName,
        storagePool: pool,
        networkMode: host.networkMode,
      });
    } catch (err) {
      await recordStepHostFailure({ prisma, error: err });
      const blamed = blamedHost(err);
      if (blamed && isHostOutage(blamed.error)) report.unreachable.push(host.name);
      else report.failed.push({ vm: vm.name, error: describeError(err, opts.log) });
      continue;
    }
    const removed = await prisma.virtualMachine.updateMany({
      where: { id: vm.id, state: "FAILED", leftoversRemovedAt: null },
      data: { leftoversRemovedAt: new Date() },
    });
    if (removed.count === 0) continue;
    const items = left.success ? left.data.items : [];
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "leftovers-removed",
      message:
        `${host.name} answers again: Skjold removed what the failed provisioning had left there` +
        (items.length ? ` (${describeLeftovers(items)})` : ""),
      data: { host: host.name, items },
    });
    report.cleaned.push(vm.name);
  }
  return report;
}
