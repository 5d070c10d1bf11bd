import { requireTeam } from "../../access/team-access";
import { findPage, listOrder, type PageRequest } from "../../core/pagination";
import type { Prisma } from "../../generated/prisma/client";
import type { TeamQuery } from "./team-query";

// What a team sees of its clusters. The kubeconfig never leaves through these views: it has its
// own audited download, for owners and members only.

export const CLUSTER_SUMMARY = {
  id: true,
  name: true,
  state: true,
  k3sVersion: true,
  installMode: true,
  apiEndpoint: true,
  apiAllowFrom: true,
  lastError: true,
  createdAt: true,
  readyAt: true,
  deletedAt: true,
  region: { select: { code: true, name: true, country: true, jurisdiction: true } },
} as const;

const CLUSTER_ORDER = listOrder<Prisma.ClusterWhereInput, Prisma.ClusterOrderByWithRelationInput>("clusters", [
  { field: "createdAt", dir: "desc", kind: "time" },
  { field: "id", dir: "desc", kind: "uuid" },
]);

/** A page of the team's clusters, newest first; deleted ones stay listed as history. */
export async function listClusters(opts: TeamQuery & { page: PageRequest }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return findPage({
    order: CLUSTER_ORDER,
    page: opts.page,
    where: { teamId: team.id },
    find: (query) => opts.prisma.cluster.findMany({ ...query, select: CLUSTER_SUMMARY }),
  });
}
