import { requireTeam } from "../../access/team-access";
import { notFound } from "../../core/errors";
import { CLUSTER_SUMMARY } from "./list-clusters";
import { isUuid, type TeamQuery } from "./team-query";

/** The server node(s) first, then the agents, each group in the order they were ordered (stable sort). */
function serverFirst<N extends { clusterRole: string | null }>(nodes: N[]): N[] {
  return [...nodes].sort((a, b) => Number(a.clusterRole !== "server") - Number(b.clusterRole !== "server"));
}

/** One cluster with its nodes (server first; each with the address tenants reach it by), its latest k3s hardening report and whether a kubeconfig is ready. */
export async function getCluster(opts: TeamQuery & { clusterId: string }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const cluster = isUuid(opts.clusterId)
    ? await opts.prisma.cluster.findUnique({
        where: { id: opts.clusterId },
        select: {
          ...CLUSTER_SUMMARY,
          teamId: true,
          kubeconfigEnc: true,
          nodes: {
            select: { id: true, name: true, state: true, clusterRole: true, lastError: true, sshHost: true, sshPort: true },
            orderBy: [{ createdAt: "asc" }, { name: "asc" }],
          },
          reports: { where: { scope: "k3s" }, orderBy: { createdAt: "desc" }, take: 1 },
        },
      })
    : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found", { key: "error.cluster.notFound" });
  const { kubeconfigEnc, reports, teamId: _teamId, nodes, ...rest } = cluster;
  return { ...rest, nodes: serverFirst(nodes), kubeconfigReady: kubeconfigEnc !== null, hardeningReport: reports[0] ?? null };
}
