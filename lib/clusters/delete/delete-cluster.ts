import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { cancelJob } from "../../jobs/cancel";
import { closeDataLocations } from "../../residency/close";
import { deleteVm } from "../../vms/delete/delete-vm";

/**
 * Deletes a cluster: its provisioning job is cancelled, every node goes through the ordinary VM
 * deletion ("vm.delete" jobs), the stored kubeconfig is erased and its residency entry closed. The
 * row stays as history (DELETED). Returns the node deletion jobs.
 */
export async function deleteCluster(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  clusterId: string;
  meta?: RequestMeta;
}): Promise<{ jobIds: string[] }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const cluster = /^[0-9a-f-]{36}$/i.test(opts.clusterId)
    ? await prisma.cluster.findUnique({ where: { id: opts.clusterId }, include: { nodes: { select: { id: true, state: true } } } })
    : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found", { key: "error.cluster.notFound" });
  if (cluster.state === "DELETED")
    throw new AppError("CONFLICT", `${cluster.name} is already deleted.`, {
      key: "error.cluster.alreadyDeleted",
      params: { name: cluster.name },
    });
  const running = await prisma.job.findMany({
    where: { clusterId: cluster.id, kind: "cluster.provision", state: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true },
  });
  for (const job of running)
    await cancelJob({ prisma, jobId: job.id, reason: "Cancelled: the cluster is being deleted" }).catch(() => undefined);
  const jobIds: string[] = [];
  for (const node of cluster.nodes.filter((n) => n.state !== "DELETED")) {
    jobIds.push((await deleteVm({ prisma, principal, teamSlug: opts.teamSlug, vmId: node.id, meta: opts.meta })).jobId);
  }
  await prisma.$transaction(async (tx) => {
    await tx.cluster.update({ where: { id: cluster.id }, data: { state: "DELETED", deletedAt: new Date(), kubeconfigEnc: null } });
    await closeDataLocations({ prisma: tx, resourceId: cluster.id, resourceKinds: ["KUBECONFIG"], actor: "cluster.delete" });
    await recordAudit({
      prisma: tx,
      ...actorOf(principal),
      action: "cluster.delete",
      teamId: team.id,
      targetType: "cluster",
      targetId: cluster.id,
      details: { name: cluster.name, jobIds },
      meta: opts.meta,
    });
  });
  return { jobIds };
}
