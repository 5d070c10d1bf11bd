import { AppError } from "../../core/errors";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";

/**
 * One job at a time changes a VM: refuses while any of its jobs is unfinished, naming that job. `asking`
 * is the caller's own job kind; the same kind already running reads as "another power action" for power.
 */
export async function assertVmIdle(
  db: Pick<PrismaClient | Prisma.TransactionClient, "job">,
  vm: { id: string; name: string },
  asking: string,
): Promise<void> {
  const busy = await db.job.findFirst({ where: { vmId: vm.id, finishedAt: null }, select: { kind: true } });
  if (!busy) return;
  if (busy.kind === asking && asking === "vm.power")
    throw new AppError("CONFLICT", `${vm.name} is busy (another power action); try again when it has finished.`, {
      key: "error.vm.busyPower",
      params: { name: vm.name },
    });
  throw new AppError("CONFLICT", `${vm.name} is busy (${busy.kind}); try again when it has finished.`, {
    key: "error.vm.busy",
    params: { name: vm.name, job: busy.kind },
  });
}
