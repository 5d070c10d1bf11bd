import type { Prisma, VirtualMachine } from "../../generated/prisma/client";

// An order takes a ready warm guest of its region, plan and image on a host that is online and not
// in drain, inside the order's transaction. The row is locked with FOR UPDATE SKIP LOCKED, so two
// orders (in any process) never wait for or get the same guest, and the hand-over is a conditional
// update on "still a ready warm guest", so a guest being discarded at the same moment is not taken.

export interface WarmClaim {
  tx: Prisma.TransactionClient;
  regionId: string;
  planId: string;
  imageId: string;
  /** what the guest becomes: the order's VM */
  teamId: string;
  name: string;
  sshKeyId: string;
  createdById: string;
}

export async function claimWarmGuest(opts: WarmClaim): Promise<VirtualMachine | null> {
  const { tx } = opts;
  const [candidate] = await tx.$queryRaw<{ id: string }[]>`
    SELECT v.id FROM "VirtualMachine" v JOIN "Host" h ON h.id = v."hostId"
    WHERE v."warmPoolId" IS NOT NULL AND v."teamId" IS NULL AND v.state = 'RUNNING'
      AND v."regionId" = ${opts.regionId}::uuid AND v."planId" = ${opts.planId}::uuid AND v."imageId" = ${opts.imageId}::uuid
      AND h.status = 'ONLINE' AND NOT h.draining
    ORDER BY v."readyAt" ASC NULLS LAST, v.id
    LIMIT 1
    FOR UPDATE OF v SKIP LOCKED`;
  if (!candidate) return null;
  const taken = await tx.virtualMachine.updateMany({
    where: { id: candidate.id, teamId: null, state: "RUNNING" },
    data: {
      teamId: opts.teamId,
      name: opts.name,
      sshKeyId: opts.sshKeyId,
      createdById: opts.createdById,
      state: "PROVISIONING",
      warmClaimedAt: new Date(),
      readyAt: null,
      lastError: null,
    },
  });
  if (taken.count !== 1) return null;
  return tx.virtualMachine.findUniqueOrThrow({ where: { id: candidate.id } });
}
