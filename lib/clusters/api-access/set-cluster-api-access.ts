import { z } from "zod";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod, notFound } from "../../core/errors";
import { OrderClusterInput } from "../order/schemas";
import { reapplyToCluster } from "../provision/reapply-to-cluster";
import { findTeamCluster, type ClusterRequest } from "../shared/find-team-cluster";

// The networks (besides the nodes) a cluster's Kubernetes API is open to, changed by its operators.

export const UpdateClusterInput = z.strictObject({ apiAllowFrom: OrderClusterInput.shape.apiAllowFrom.unwrap() });

/**
 * Sets the networks (besides the nodes) the cluster's Kubernetes API is open to. On a READY cluster
 * the firewall is re-applied by "cluster.provision"; a FAILED one takes the list on its retry.
 */
export async function setClusterApiAccess(
  opts: ClusterRequest & { input: unknown },
): Promise<{ apiAllowFrom: string[]; changed: boolean; jobId: string | null }> {
  const parsed = UpdateClusterInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Cluster API networks");
  const { team, cluster } = await findTeamCluster(opts, "operate");
  const apiAllowFrom = [...new Set(parsed.data.apiAllowFrom)];
  return opts.prisma.$transaction(async (tx) => {
    // Locked, so two changes at once are applied and audited one after the other, each with its true "from".
    const [row] = await tx.$queryRaw<{ state: string; apiAllowFrom: string[] | null }[]>`
      SELECT state::text AS state, "apiAllowFrom" FROM "Cluster" WHERE id = ${cluster.id}::uuid FOR UPDATE`;
    if (!row) throw notFound("Cluster not found", { key: "error.cluster.notFound" });
    if (row.state !== "READY" && row.state !== "FAILED") {
      throw new AppError(
        "CONFLICT",
        `${cluster.name} is ${row.state.toLowerCase()}: the API's networks can be changed once it is ready (or has failed).`,
        { key: "error.cluster.apiAccessNotReady", params: { name: cluster.name, clusterState: row.state } },
      );
    }
    const before = row.apiAllowFrom ?? [];
    if (before.length === apiAllowFrom.length && before.every((n, i) => n === apiAllowFrom[i]))
      return { apiAllowFrom, changed: false, jobId: null };
    await tx.cluster.update({ where: { id: cluster.id }, data: { apiAllowFrom } });
    const jobId = row.state === "READY" ? (await reapplyToCluster(tx, { id: cluster.id, teamId: team.id })).jobId : null;
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "cluster.api-access",
      teamId: team.id,
      targetType: "cluster",
      targetId: cluster.id,
      details: { name: cluster.name, from: before, to: apiAllowFrom, jobId },
      meta: opts.meta,
    });
    return { apiAllowFrom, changed: true, jobId };
  });
}
