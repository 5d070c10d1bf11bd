import type { PrismaClient } from "../../generated/prisma/client";
import { hostContext, sharedSshPool } from "../../hosts/host-target";
import type { HostContext } from "../../libvirt/virsh";
import {
  allPrivateTapsOf,
  buildPrivateNicRemoval,
  buildPrivateNicSetup,
  buildSegmentRemoval,
  buildSegmentSetup,
  privateTapOf,
} from "../../network/private/private-host-script";

// A VM's private NICs on its host, and the segments they hang on across the region's hosts
// (lib/network/private/private-host-script.ts says what is made). A host is a member of a network while
// a live VM on it has a NIC there; every member host floods to every other one.

/** The VM's private NICs with their networks, by slot. */
export function loadPrivateNics(prisma: PrismaClient, vmId: string) {
  return prisma.privateNic.findMany({ where: { vmId }, include: { network: true }, orderBy: { slot: "asc" } });
}
export type LoadedPrivateNic = Awaited<ReturnType<typeof loadPrivateNics>>[number];

/** The hosts with live members on the network (a VM being deleted counts until it is gone, unless excluded). */
async function memberHosts(prisma: PrismaClient, networkId: string, exceptVmId?: string) {
  const nics = await prisma.privateNic.findMany({
    where: { networkId, vm: { state: { not: "DELETED" }, hostId: { not: null }, ...(exceptVmId ? { id: { not: exceptVmId } } : {}) } },
    select: { vm: { select: { host: true } } },
  });
  const hosts = new Map<string, NonNullable<(typeof nics)[number]["vm"]["host"]>>();
  for (const n of nics) if (n.vm.host) hosts.set(n.vm.host.id, n.vm.host);
  return [...hosts.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Makes or converges the network's segment on every member host, each flooding to all the others.
 * Returns the member hosts and what had to change on them ("lab-h1: created skx4096"): nothing, when
 * every segment was as it should be.
 */
export async function syncPrivateSegment(opts: { prisma: PrismaClient; networkId: string; vni: number; exceptVmId?: string }) {
  const hosts = await memberHosts(opts.prisma, opts.networkId, opts.exceptVmId);
  const changes: string[] = [];
  for (const host of hosts) {
    const ctx = hostContext(host, sharedSshPool(), { prisma: opts.prisma });
    const r = await ctx.pool.exec({
      target: ctx.target,
      argv: ["sh", "-s"],
      stdin: buildSegmentSetup({ vni: opts.vni, local: host.address, peers: hosts.map((h) => h.address) }),
      step: `private network VNI ${opts.vni}`,
    });
    for (const line of r.stdout.split("\n").filter(Boolean)) changes.push(`${host.name}: ${line}`);
  }
  return { hosts: hosts.map((h) => h.name), changes };
}

/** The segments of the VM's networks (on its host and its peers), then its taps with their anti-spoofing chains. */
export async function applyPrivateNics(opts: { prisma: PrismaClient; ctx: HostContext; domainName: string; nics: LoadedPrivateNic[] }) {
  const spans: { network: string; hosts: string[] }[] = [];
  for (const nic of opts.nics) {
    const { hosts } = await syncPrivateSegment({ prisma: opts.prisma, networkId: nic.networkId, vni: nic.network.vni });
    spans.push({ network: nic.network.name, hosts });
    const tap = privateTapOf(opts.domainName, nic.slot);
    await opts.ctx.pool.exec({
      target: opts.ctx.target,
      argv: ["sh", "-s"],
      stdin: buildPrivateNicSetup({ tap, vni: nic.network.vni, mac: nic.mac, ipv4: nic.ipv4, ipv6: nic.ipv6 }),
      step: `set up ${tap}`,
    });
  }
  return spans;
}

/** Removes every private tap the VM may have on its host (found by name) with its filter. Safe to repeat. */
export async function removePrivateTaps(opts: { ctx: HostContext; domainName: string }) {
  await opts.ctx.pool.exec({
    target: opts.ctx.target,
    argv: ["sh", "-s"],
    stdin: buildPrivateNicRemoval(allPrivateTapsOf(opts.domainName)),
    step: "remove private taps",
  });
}

/**
 * After the VM's taps are gone: each of its networks leaves its host when no other live member is
 * there (bridge and VXLAN device removed), and the remaining member hosts stop flooding to it.
 */
export async function leavePrivateSegments(opts: {
  prisma: PrismaClient;
  ctx: HostContext;
  vmId: string;
  hostId: string;
  nics: LoadedPrivateNic[];
}) {
  for (const nic of opts.nics) {
    const remaining = await memberHosts(opts.prisma, nic.networkId, opts.vmId);
    if (!remaining.some((h) => h.id === opts.hostId)) {
      await opts.ctx.pool.exec({
        target: opts.ctx.target,
        argv: ["sh", "-s"],
        stdin: buildSegmentRemoval(nic.network.vni),
        step: `leave private network VNI ${nic.network.vni}`,
      });
    }
    await syncPrivateSegment({ prisma: opts.prisma, networkId: nic.networkId, vni: nic.network.vni, exceptVmId: opts.vmId });
  }
}
