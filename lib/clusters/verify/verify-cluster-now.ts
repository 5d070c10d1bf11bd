import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import { findTeamCluster, pendingJob, type ClusterRequest } from "../shared/find-team-cluster";
import { verifyClusterJob } from "./verify-cluster-job";

// Any member may ask, auditors included: it only reads the nodes.

/** Re-runs the k3s and guest checks of a ready cluster ("cluster.verify"); a run already waiting is reused. */
export async function verifyClusterNow(opts: ClusterRequest): Promise<{ jobId: string }> {
  const { team, cluster } = await findTeamCluster(opts, "read");
  if (cluster.state !== "READY")
    throw new AppError("CONFLICT", `${cluster.name} is ${cluster.state.toLowerCase()}: only a ready cluster can be checked.`, {
      key: "error.cluster.verifyNotReady",
      params: { name: cluster.name, clusterState: cluster.state },
    });
  const pending = await pendingJob(opts.prisma, cluster.id, verifyClusterJob.name);
  if (pending) return { jobId: pending.id };
  const { jobId } = await enqueueJob({
    prisma: opts.prisma,
    kind: verifyClusterJob,
    payload: { clusterId: cluster.id },
    teamId: team.id,
    clusterId: cluster.id,
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "cluster.verify",
    teamId: team.id,
    targetType: "cluster",
    targetId: cluster.id,
    details: { name: cluster.name, jobId },
    meta: opts.meta,
  });
  return { jobId };
}
