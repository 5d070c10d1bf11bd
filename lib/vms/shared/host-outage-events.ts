import type { PrismaClient } from "../../generated/prisma/client";
import { formatDuration, type Outage } from "../../jobs/decide-after-failure";
import { formatSince } from "../../placement/place-vm";
import { addVmEvent } from "./vm-events";

// What a VM's timeline says while one of its jobs waits out an outage of its host: once when the
// wait begins (not at every try), once when the host answers again.

export async function addHostWaitingEvent(opts: { prisma: PrismaClient; vmId: string; outage: Outage }): Promise<void> {
  const { outage } = opts;
  await addVmEvent({
    prisma: opts.prisma,
    vmId: opts.vmId,
    kind: "host-waiting",
    message:
      `Waiting for host ${outage.subject}: unreachable since ${formatSince(outage.since)}. ` +
      `The job goes on when the host answers again (it waits up to ${formatDuration(outage.limitMs)})`,
    data: { host: outage.subject, since: outage.since.toISOString(), limitSeconds: Math.round(outage.limitMs / 1000) },
  });
}

export async function addHostBackEvent(opts: { prisma: PrismaClient; vmId: string; hostId: string }): Promise<void> {
  const host = await opts.prisma.host.findUnique({ where: { id: opts.hostId }, select: { name: true } });
  const name = host?.name ?? "the host";
  await addVmEvent({
    prisma: opts.prisma,
    vmId: opts.vmId,
    kind: "host-back",
    message: `Host ${name} answers again; the job goes on`,
    data: { host: name },
  });
}
