import { z } from "zod";
import { AppError } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { isTransientError } from "../../jobs/errors";

/**
 * Runs one piece of the cluster's k3s half; a permanent failure ends the cluster FAILED with its
 * reason (never a deleted cluster), a transient one leaves it PROVISIONING for the job's retry.
 * `secret`, when given, is scrubbed from the message before anything stores it.
 */
export async function failClusterOn<T>(
  opts: { prisma: PrismaClient; clusterId: string; giveUp?: boolean; secret?: () => string | undefined },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const secret = opts.secret?.();
    const scrub = (m: string) => (secret ? m.split(secret).join("[join token]") : m);
    if (isTransientError(err) && !opts.giveUp) throw err;
    const message = scrub(
      err instanceof Error && (err instanceof AppError || isTransientError(err))
        ? err.message
        : "k3s bootstrap failed unexpectedly (see the portal log)",
    );
    if (z.uuid().safeParse(opts.clusterId).success) {
      await opts.prisma.cluster.updateMany({
        where: { id: opts.clusterId, state: { notIn: ["DELETED", "DELETING"] } },
        data: { state: "FAILED", lastError: message.slice(0, 2_000) },
      });
    }
    if (secret && err instanceof Error && err.message.includes(secret))
      throw new AppError(err instanceof AppError ? err.code : "HOST_COMMAND_FAILED", message);
    throw err;
  }
}
