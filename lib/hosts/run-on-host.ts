import type { Host, PrismaClient } from "../generated/prisma/client";
import type { HostContext } from "../libvirt/virsh";
import type { SshPool } from "../ssh/pool";
import { hostContext, sharedSshPool } from "./host-target";
import { recordHostFailure } from "./record-host-failure";

// The one way admin and scheduled code does work on a host. It refuses hosts whose key is unconfirmed
// or changed (nothing is sent), and records what a failure taught about the host
// (record-host-failure.ts; jobs record theirs through the job registry's step-failure observer).

export interface RunOnHostOptions {
  prisma: PrismaClient;
  host: Host;
  sshPool?: SshPool;
}

export async function runOnHost<T>(opts: RunOnHostOptions, work: (ctx: HostContext) => Promise<T>): Promise<T> {
  // A host marked OFFLINE that answers here is ONLINE again at once (host-target.ts).
  const ctx = hostContext(opts.host, opts.sshPool ?? sharedSshPool(), { prisma: opts.prisma });
  try {
    const result = await work(ctx);
    await opts.prisma.host.update({ where: { id: opts.host.id }, data: { lastSeenAt: new Date() } });
    return result;
  } catch (err) {
    await recordHostFailure({ prisma: opts.prisma, host: opts.host, err });
    throw err;
  }
}
