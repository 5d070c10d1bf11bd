import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { LIVE_VM_STATES } from "../../placement/region-snapshot";
import type { QuotaFigures } from "./quota";

/** What a team's live VMs (not failed, not deleted) hold against its quota. */
export async function readTeamUsage(db: PrismaClient | Prisma.TransactionClient, teamId: string): Promise<QuotaFigures> {
  const agg = await db.virtualMachine.aggregate({
    where: { teamId, state: { in: LIVE_VM_STATES } },
    _count: { _all: true },
    _sum: { vcpus: true, memoryMb: true, diskGb: true },
  });
  return { vms: agg._count._all, vcpus: agg._sum.vcpus ?? 0, memoryMb: agg._sum.memoryMb ?? 0, diskGb: agg._sum.diskGb ?? 0 };
}

export function teamLimits(team: { maxVms: number; maxVcpus: number; maxMemoryMb: number; maxDiskGb: number }): QuotaFigures {
  return { vms: team.maxVms, vcpus: team.maxVcpus, memoryMb: team.maxMemoryMb, diskGb: team.maxDiskGb };
}
