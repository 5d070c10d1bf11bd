import type { PrismaClient } from "../generated/prisma/client";

/**
 * A job or task reached the host over SSH: an OFFLINE host is ONLINE again, its outage forgotten,
 * without waiting for the next health check. Other states stay: a changed key needs an admin, and an
 * ERROR (libvirtd down, discovery failed) needs a refresh that checks more than SSH.
 */
export async function recordHostReached(opts: { prisma: Pick<PrismaClient, "$executeRaw">; hostId: string }): Promise<boolean> {
  const n = await opts.prisma.$executeRaw`
    UPDATE "Host" SET status = 'ONLINE', "lastError" = NULL, "unhealthySince" = NULL, "lastSeenAt" = now(), "updatedAt" = now()
    WHERE id = ${opts.hostId}::uuid AND status = 'OFFLINE'`;
  return n > 0;
}
