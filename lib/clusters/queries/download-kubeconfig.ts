import { requireTeam } from "../../access/team-access";
import type { RequestMeta } from "../../access/principal";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, notFound } from "../../core/errors";
import { decryptSecret } from "../../core/secrets";
import { isUuid, type TeamQuery } from "./team-query";

/** The cluster's admin kubeconfig, decrypted for its owner or a member; every download is audited. */
export async function downloadKubeconfig(
  opts: TeamQuery & { clusterId: string; meta?: RequestMeta },
): Promise<{ name: string; kubeconfig: string }> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "operate" });
  const cluster = isUuid(opts.clusterId)
    ? await opts.prisma.cluster.findUnique({
        where: { id: opts.clusterId },
        select: { id: true, name: true, teamId: true, state: true, kubeconfigEnc: true },
      })
    : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found", { key: "error.cluster.notFound" });
  if (cluster.state !== "READY" || !cluster.kubeconfigEnc)
    throw new AppError(
      "CONFLICT",
      `Cluster ${cluster.name} is ${cluster.state.toLowerCase()}: its kubeconfig is available once it is ready.`,
      { key: "error.cluster.kubeconfigNotReady", params: { name: cluster.name, clusterState: cluster.state } },
    );
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "cluster.kubeconfig.download",
    teamId: team.id,
    targetType: "cluster",
    targetId: cluster.id,
    details: { name: cluster.name },
    meta: opts.meta,
  });
  return { name: cluster.name, kubeconfig: decryptSecret(cluster.kubeconfigEnc) };
}
