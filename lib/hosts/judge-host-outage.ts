import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Outage } from "../jobs/decide-after-failure";
import { blamedHost } from "../ssh/errors";
import { readOutageWaitSeconds } from "./outage-wait";
import { judgeHostFailure } from "./record-host-failure";

// Which failed job steps are an outage of one of Skjold's hosts, to be waited out rather than retried
// a few times and failed: the host could not be reached (refused, timed out, the connection or its
// handshake dropped) and saying so was transient. A changed host key is no outage (it stops at once),
// nor is a rejected login key, a stopped libvirtd, a command that failed or ran too long, or a guest
// that does not answer yet.

/** Pure: whether `err` (the error the SSH pool blamed on a host) means that host is down for now. */
export function isHostOutage(err: unknown): boolean {
  return err instanceof AppError && err.transient && judgeHostFailure(err)?.status === "OFFLINE";
}

/** The outage a failed step met, with since when the host is down and the admin's wait limit; null when it is none. */
export async function judgeHostOutage(opts: { prisma: PrismaClient; error: unknown }): Promise<Outage | null> {
  const blamed = blamedHost(opts.error);
  if (!blamed || !isHostOutage(blamed.error)) return null;
  const host = await opts.prisma.host.findUnique({
    where: { id: blamed.hostId },
    select: { id: true, name: true, status: true, unhealthySince: true },
  });
  if (!host || host.status === "KEY_MISMATCH" || host.status === "PENDING_KEY") return null;
  const waitSeconds = await readOutageWaitSeconds({ db: opts.prisma });
  return { key: host.id, subject: host.name, since: host.unhealthySince ?? new Date(), limitMs: waitSeconds * 1000 };
}
