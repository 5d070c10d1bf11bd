import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { blamedHost } from "../ssh/errors";

// What a failed attempt to reach a host teaches about that host, recorded at once and the same way
// wherever the attempt was made (an admin's refresh, the health schedule, any job step): a changed
// key stops all work (KEY_MISMATCH, with the key now presented); an unreachable host goes OFFLINE;
// a stopped libvirtd is an ERROR. `unhealthySince` keeps the start of the trouble, not its latest
// sighting, so a refusal can say "offline since 11:02".

export type HostFailureVerdict = { status: "KEY_MISMATCH" | "OFFLINE" | "ERROR"; presented?: string };

/** Pure: what a failed attempt means for the host's status, or null when it says nothing about the host. */
export function judgeHostFailure(err: unknown): HostFailureVerdict | null {
  if (!(err instanceof AppError)) return null;
  const details = (err.details ?? {}) as { reason?: string; presented?: string };
  if (err.code === "HOST_KEY_MISMATCH") return { status: "KEY_MISMATCH", presented: details.presented };
  if (err.code === "HOST_UNREACHABLE") return { status: details.reason === "libvirtd-down" ? "ERROR" : "OFFLINE" };
  return null;
}

/** Records `err` on the host it was an attempt on; returns the verdict, or null when it says nothing about it. */
export async function recordHostFailure(opts: {
  prisma: PrismaClient;
  host: { id: string; hostKeyFingerprint: string | null };
  err: unknown;
}): Promise<HostFailureVerdict | null> {
  const verdict = judgeHostFailure(opts.err);
  if (!verdict) return null;
  const lastError = (opts.err as Error).message.slice(0, 1000);
  if (verdict.status === "KEY_MISMATCH") {
    // Only against the key this attempt used: an admin may have re-pinned meanwhile.
    await opts.prisma.$executeRaw`
      UPDATE "Host" SET status = 'KEY_MISMATCH', "presentedFingerprint" = ${verdict.presented ?? null}::text, "lastError" = ${lastError},
        "unhealthySince" = CASE WHEN status = 'KEY_MISMATCH' THEN COALESCE("unhealthySince", now()) ELSE now() END, "updatedAt" = now()
      WHERE id = ${opts.host.id}::uuid AND "hostKeyFingerprint" IS NOT DISTINCT FROM ${opts.host.hostKeyFingerprint}::text`;
    return verdict;
  }
  await markHostUnhealthy({ prisma: opts.prisma, hostId: opts.host.id, status: verdict.status, lastError });
  return verdict;
}

/**
 * A failed job step or compensation: when it was meeting one of Skjold's hosts (the SSH pool blames
 * the target it could not reach), records that on the host. A guest's failure says nothing about its host.
 */
export async function recordStepHostFailure(opts: { prisma: PrismaClient; error: unknown }): Promise<HostFailureVerdict | null> {
  const blamed = blamedHost(opts.error);
  if (!blamed) return null;
  return recordHostFailure({
    prisma: opts.prisma,
    host: { id: blamed.hostId, hostKeyFingerprint: blamed.hostKeyFingerprint },
    err: blamed.error,
  });
}

/** OFFLINE or ERROR with the reason, keeping when the trouble began; a host awaiting or failing its key check is left alone. */
export async function markHostUnhealthy(opts: { prisma: PrismaClient; hostId: string; status: "OFFLINE" | "ERROR"; lastError: string }) {
  await opts.prisma.$executeRaw`
    UPDATE "Host" SET status = ${opts.status}::"HostStatus", "lastError" = ${opts.lastError},
      "unhealthySince" = CASE WHEN status = 'ONLINE' THEN now() ELSE COALESCE("unhealthySince", now()) END, "updatedAt" = now()
    WHERE id = ${opts.hostId}::uuid AND status IN ('ONLINE', 'OFFLINE', 'ERROR')`;
}
