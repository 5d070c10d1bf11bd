import { requireTeam } from "../../access/team-access";
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

export async function listClusters(opts: TeamQuery) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return opts.prisma.cluster.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "desc" }, select: CLUSTER_SUMMARY });
}
