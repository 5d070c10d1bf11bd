import type { ScheduledTask } from "../jobs/schedules";
import { reconcileHostNow } from "./reconcile-host";
import { refreshHostFacts } from "./refresh-host";

// Scheduled work on hosts, for the lead to register with runSchedules. Hosts whose key is not
// pinned or has changed are skipped (assertHostUsable would refuse them anyway). A failing host does
// not stop the others; its failure is already recorded on it (status, lastError).

const USABLE = { status: { in: ["ONLINE", "OFFLINE", "ERROR"] as ("ONLINE" | "OFFLINE" | "ERROR")[] }, hostKeyFingerprint: { not: null } };

async function forEachHost(ctx: Parameters<ScheduledTask["run"]>[0], work: (hostId: string) => Promise<unknown>): Promise<void> {
  const hosts = await ctx.prisma.host.findMany({ where: USABLE, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const failed: string[] = [];
  for (const h of hosts) {
    if (ctx.signal.aborted) return;
    await work(h.id).catch(() => failed.push(h.name));
  }
  if (failed.length) throw new Error(`failed on ${failed.length} of ${hosts.length} hosts: ${failed.join(", ")}`);
}

/** Every 5 minutes: re-discover each host (capacity, health, lastSeenAt); no accelerator re-probe. */
export const hostHealthTask: ScheduledTask = {
  name: "hosts.health",
  intervalSec: 300,
  run: (ctx) => forEachHost(ctx, (hostId) => refreshHostFacts({ prisma: ctx.prisma, hostId })),
};

/** Every 15 minutes: compare libvirt with the database on each host and store the drift. */
export const reconcileAllHostsTask: ScheduledTask = {
  name: "hosts.reconcile",
  intervalSec: 900,
  run: (ctx) => forEachHost(ctx, (hostId) => reconcileHostNow({ prisma: ctx.prisma, hostId })),
};
