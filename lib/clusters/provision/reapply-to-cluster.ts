import type { DbClient } from "../../jobs/db";
import { enqueueJob } from "../../jobs/enqueue";
import { provisionClusterJob } from "./provision-cluster-job";

/** How long a re-apply waits when the cluster is being converged already (a converge takes about a minute). */
const REAPPLY_AFTER_RUNNING_MS = 5 * 60_000;

/**
 * Queues "cluster.provision" again for a ready cluster so a changed input (signing keys, API
 * networks) reaches its nodes. A queued run reads the inputs when it starts and is enough; a run
 * already under way may have read the old ones, so the new one starts after it rather than beside it.
 */
export async function reapplyToCluster(prisma: DbClient, cluster: { id: string; teamId: string }): Promise<{ jobId: string }> {
  const open = await prisma.job.findMany({
    where: { clusterId: cluster.id, kind: provisionClusterJob.name, state: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true, state: true },
  });
  const queued = open.find((j) => j.state === "QUEUED");
  if (queued) return { jobId: queued.id };
  const runAt = open.length ? new Date(Date.now() + REAPPLY_AFTER_RUNNING_MS) : undefined;
  return enqueueJob({
    prisma,
    kind: provisionClusterJob,
    payload: { clusterId: cluster.id },
    teamId: cluster.teamId,
    clusterId: cluster.id,
    runAt,
  });
}
