import { requireTeam } from "../../access/team-access";
import type { Principal } from "../../access/principal";
import { findPage, type Page, type PageRequest } from "../../core/pagination";
import { notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { PRIVATE_NETWORK_INCLUDE, PRIVATE_NETWORK_ORDER, privateNetworkView, type PrivateNetworkView } from "./private-network-view";

interface TeamRequest {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
}

/** One page of the team's private networks (all regions), by name, each with its live members. */
export async function listPrivateNetworks(opts: TeamRequest & { page: PageRequest }): Promise<Page<PrivateNetworkView>> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const page = await findPage({
    order: PRIVATE_NETWORK_ORDER,
    page: opts.page,
    where: { teamId: team.id },
    find: (query) => opts.prisma.privateNetwork.findMany({ ...query, include: PRIVATE_NETWORK_INCLUDE }),
  });
  return { ...page, items: page.items.map(privateNetworkView) };
}

/** One of the team's private networks; another team's is simply not found. */
export async function getPrivateNetwork(opts: TeamRequest & { networkId: string }): Promise<PrivateNetworkView> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const row = /^[0-9a-f-]{36}$/i.test(opts.networkId)
    ? await opts.prisma.privateNetwork.findUnique({ where: { id: opts.networkId }, include: PRIVATE_NETWORK_INCLUDE })
    : null;
  if (!row || row.teamId !== team.id) throw notFound("Private network not found", { key: "error.privateNetwork.notFound" });
  return privateNetworkView(row);
}

/** The regions a team may create private networks in (every region; its residency policy applies to its VMs). */
export async function privateNetworkRegions(opts: TeamRequest): Promise<{ code: string; name: string }[]> {
  await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return opts.prisma.region.findMany({ select: { code: true, name: true }, orderBy: { code: "asc" } });
}
