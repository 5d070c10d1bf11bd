import { requireTeam } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import type { Principal, RequestMeta } from "../../access/principal";
import { AppError, notFound } from "../../core/errors";
import { decryptSecret } from "../../core/secrets";
import type { PrismaClient } from "../../generated/prisma/client";

type TeamQuery = { prisma: PrismaClient; principal: Principal; teamSlug: string };

// What a team sees of its clusters. The kubeconfig never leaves through these views: it has its
// own audited download, for owners and members only.

const CLUSTER_SUMMARY = {
  id: true, name: true, state: true, k3sVersion: true, installMode: true, apiEndpoint: true, apiAllowFrom: true, lastError: true, createdAt: true, readyAt: true, deletedAt: true,
  region: { select: { code: true, name: true, country: true, jurisdiction: true } },
} as const;

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function listClusters(opts: TeamQuery) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return opts.prisma.cluster.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "desc" }, select: CLUSTER_SUMMARY });
}

/** The server node(s) first, then the agents, each group in the order they were ordered (stable sort). */
export function serverFirst<N extends { clusterRole: string | null }>(nodes: N[]): N[] {
  return [...nodes].sort((a, b) => Number(a.clusterRole !== "server") - Number(b.clusterRole !== "server"));
}

/** One cluster with its nodes (server first; each with the address tenants reach it by), its latest k3s hardening report and whether a kubeconfig is ready. */
export async function getCluster(opts: TeamQuery & { clusterId: string }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const cluster = isUuid(opts.clusterId)
    ? await opts.prisma.cluster.findUnique({
        where: { id: opts.clusterId },
        select: {
          ...CLUSTER_SUMMARY, teamId: true, kubeconfigEnc: true,
          nodes: { select: { id: true, name: true, state: true, clusterRole: true, lastError: true, sshHost: true, sshPort: true }, orderBy: [{ createdAt: "asc" }, { name: "asc" }] },
          reports: { where: { scope: "k3s" }, orderBy: { createdAt: "desc" }, take: 1 },
        },
      })
    : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found");
  const { kubeconfigEnc, reports, teamId: _teamId, nodes, ...rest } = cluster;
  return { ...rest, nodes: serverFirst(nodes), kubeconfigReady: kubeconfigEnc !== null, hardeningReport: reports[0] ?? null };
}

/** The cluster's admin kubeconfig, decrypted for its owner or a member; every download is audited. */
export async function downloadKubeconfig(opts: TeamQuery & { clusterId: string; meta?: RequestMeta }): Promise<{ name: string; kubeconfig: string }> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "operate" });
  const cluster = isUuid(opts.clusterId) ? await opts.prisma.cluster.findUnique({ where: { id: opts.clusterId }, select: { id: true, name: true, teamId: true, state: true, kubeconfigEnc: true } }) : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found");
  if (cluster.state !== "READY" || !cluster.kubeconfigEnc) throw new AppError("CONFLICT", `Cluster ${cluster.name} is ${cluster.state.toLowerCase()}: its kubeconfig is available once it is ready.`);
  await recordAudit({ prisma: opts.prisma, ...actorOf(opts.principal), action: "cluster.kubeconfig.download", teamId: team.id, targetType: "cluster", targetId: cluster.id, details: { name: cluster.name }, meta: opts.meta });
  return { name: cluster.name, kubeconfig: decryptSecret(cluster.kubeconfigEnc) };
}
