import { AppError } from "../core/errors";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { inTransaction } from "../residency/db";
import { readQuarantineSeconds } from "./quarantine";

export interface ReleasedUnit {
  poolId: string;
  address: string;
  /** when the unit may be handed out again */
  quarantineUntil: Date;
}

/**
 * Lets a VM's addresses go: with `quarantine` they rest for the admin's quarantine before anyone
 * else gets them; without (a VM that never ran), they are free at once. Each release is appended to
 * the address history under the names the VM had when it got the unit. Safe to repeat.
 */
export async function releaseVmAddresses(
  opts: ({ tx: Prisma.TransactionClient } | { prisma: PrismaClient }) & { vmId: string; quarantine: boolean; now?: Date },
): Promise<ReleasedUnit[]> {
  const db = "tx" in opts ? opts.tx : opts.prisma;
  const now = opts.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const seconds = opts.quarantine ? await readQuarantineSeconds({ db: tx }) : 0;
    const until = new Date(now.getTime() + seconds * 1000);
    const leases = await tx.ipLease.updateManyAndReturn({
      where: { vmId: opts.vmId },
      data: { vmId: null, releasedAt: now, quarantineUntil: until },
      select: { poolId: true, address: true },
    });
    if (leases.length === 0) return [];
    const assigned = await tx.addressEvent.findMany({ where: { vmId: opts.vmId, action: "ASSIGN" }, orderBy: { id: "desc" } });
    await tx.addressEvent.createMany({
      data: leases.map((l) => {
        const a = assigned.find((e) => e.poolId === l.poolId && e.address === l.address);
        // Every unit is handed out by allocateVmAddresses, which writes its ASSIGN first.
        if (!a) throw new AppError("INTERNAL", `no ASSIGN event for ${l.address} held by VM ${opts.vmId}`);
        const { id: _id, at: _at, action: _action, ...who } = a;
        return { ...who, at: now, action: "RELEASE" as const };
      }),
    });
    return leases.map((l) => ({ ...l, quarantineUntil: until }));
  });
}
