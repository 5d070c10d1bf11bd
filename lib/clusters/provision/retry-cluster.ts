import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import { findTeamCluster, pendingJob, type ClusterRequest } from "../shared/find-team-cluster";
import { provisionClusterJob } from "./provision-cluster-job";

/** Runs "cluster.provision" again for a FAILED cluster (e.g. after the operator placed the missing air-gap file). */
export async function retryCluster(opts: ClusterRequest): Promise<{ jobId: string }> {
  const { team, cluster } = await findTeamCluster(opts, "operate");
  if (cluster.state !== "FAILED")
    throw new AppError("CONFLICT", `${cluster.name} is ${cluster.state.toLowerCase()}: only a failed cluster can be retried.`, {
      key: "error.cluster.retryNotFailed",
      params: { name: cluster.name, clusterState: cluster.state },
    });
  const pending = await pendingJob(opts.prisma, cluster.id, provisionClusterJob.name);
  if (pending) return { jobId: pending.id };
  const { jobId } = await enqueueJob({
    prisma: opts.prisma,
    kind: provisionClusterJob,
    payload: { clusterId: cluster.id },
    teamId: team.id,
    clusterId: cluster.id,
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "cluster.retry",
    teamId: team.id,
    targetType: "cluster",
    targetId: cluster.id,
    details: { name: cluster.name, jobId },
    meta: opts.meta,
  });
  return { jobId };
}
