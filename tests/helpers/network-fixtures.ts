import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { NetworkMode } from "@/lib/generated/prisma/enums";
import { allocateVmAddresses } from "@/lib/network/allocate-vm-addresses";
import { createIpPool } from "@/lib/network/create-ip-pool";
import { makeTeam, makeUser, makeVms } from "./factories";
import { makeHost, makeRegion } from "./netns-latency-data";

// Regions, hosts in each network mode, a team and an admin for the address-management tests. The
// prefixes are the lab's documentation prefixes; nothing here touches a network.

export async function makeNetworkWorld(prisma: PrismaClient) {
  const { principal: admin } = await makeUser(prisma, { isAdmin: true });
  const { principal: tenant } = await makeUser(prisma);
  const osl = await makeRegion(prisma, "osl1", "Oslo");
  const bgo = await makeRegion(prisma, "bgo1", "Bergen");
  const host = (name: string, networkMode: NetworkMode, regionId = osl.id) => makeHost(prisma, { name, regionId, networkMode });
  const hosts = {
    routed: await host("routed-a", "ROUTED"),
    routedBergen: await host("routed-b", "ROUTED", bgo.id),
    bridged: await host("bridged-a", "BRIDGED"),
    lab: await host("lab-a", "USER_FORWARD"),
  };
  const team = await makeTeam(prisma);
  return { admin, tenant, osl, bgo, hosts, team };
}
export type NetworkWorld = Awaited<ReturnType<typeof makeNetworkWorld>>;

type Host = NetworkWorld["hosts"]["routed"];

/** One VM row of the world's team, placed on `host`. */
export async function makeVm(prisma: PrismaClient, world: NetworkWorld, host: Host, name?: string) {
  const [vm] = await makeVms(prisma, { teamId: world.team.id, regionId: host.regionId, hostId: host.id, count: 1, prefix: name });
  return { id: vm!.id, name: vm!.name, teamId: world.team.id, teamSlug: world.team.slug };
}

/** allocateVmAddresses in a transaction of its own, as ordering will call it. */
export function allocate(
  prisma: PrismaClient,
  opts: { vm: Awaited<ReturnType<typeof makeVm>>; host: Host; regionCode?: string; now?: Date },
) {
  return prisma.$transaction(
    (tx) => allocateVmAddresses({ tx, vm: opts.vm, host: opts.host, regionCode: opts.regionCode ?? "osl1", now: opts.now }),
    { maxWait: 120_000, timeout: 120_000 },
  );
}

export function addPool(prisma: PrismaClient, world: NetworkWorld, input: Record<string, unknown>) {
  return createIpPool({ prisma, principal: world.admin, input: { regionCode: "osl1", ...input } });
}
