import type { PrismaClient } from "../../generated/prisma/client";
import { hostContext, sharedSshPool } from "../../hosts/host-target";
import type { ScheduledTask } from "../../jobs/schedules";
import { buildPrivateNicSetup, privateTapOf } from "../../network/private/private-host-script";
import { syncPrivateSegment } from "../shared/private-nics";

// Private networks' drift on the hosts, found and put back: a bridge or VXLAN device removed by hand,
// a flood entry missing or left over, a VM's tap taken off its bridge or its anti-spoofing chain
// flushed. The host scripts print what they had to change; nothing printed is no drift.

/** Converges every private network with live members; returns what was put back ("backend: lab-h1: created skx4096"). */
export async function convergePrivateNetworks(opts: { prisma: PrismaClient; signal?: AbortSignal }): Promise<string[]> {
  const { prisma } = opts;
  const live = { state: { not: "DELETED" as const }, hostId: { not: null } };
  const networks = await prisma.privateNetwork.findMany({ where: { nics: { some: { vm: live } } }, orderBy: { vni: "asc" } });
  const changes: string[] = [];
  for (const n of networks) {
    if (opts.signal?.aborted) return changes;
    const r = await syncPrivateSegment({ prisma, networkId: n.id, vni: n.vni });
    changes.push(...r.changes.map((c) => `${n.name}: ${c}`));
  }
  // Running and stopped VMs' taps (a provisioning VM's are its job's to make).
  const nics = await prisma.privateNic.findMany({
    where: { vm: { state: { in: ["RUNNING", "STOPPED"] }, hostId: { not: null } } },
    include: { network: true, vm: { select: { name: true, domainName: true, host: true } } },
    orderBy: { createdAt: "asc" },
  });
  for (const nic of nics) {
    if (opts.signal?.aborted || !nic.vm.host) continue;
    const ctx = hostContext(nic.vm.host, sharedSshPool(), { prisma });
    const tap = privateTapOf(nic.vm.domainName, nic.slot);
    const r = await ctx.pool.exec({
      target: ctx.target,
      argv: ["sh", "-s"],
      stdin: buildPrivateNicSetup({ tap, vni: nic.network.vni, mac: nic.mac, ipv4: nic.ipv4, ipv6: nic.ipv6 }),
      step: `converge ${tap}`,
    });
    for (const line of r.stdout.split("\n").filter(Boolean))
      changes.push(`${nic.network.name}: ${nic.vm.host.name}: ${line} (${nic.vm.name})`);
  }
  return changes;
}

/** Every 5 minutes: private networks' drift put back, each change logged. */
export const convergePrivateNetworksTask: ScheduledTask = {
  name: "private-networks.converge",
  intervalSec: 300,
  async run(ctx) {
    const changes = await convergePrivateNetworks({ prisma: ctx.prisma, signal: ctx.signal });
    for (const c of changes) console.warn(`[skjold] private network drift put back: ${c}`);
  },
};
