import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";

/** What a tenant's request about one of its team's clusters carries. */
export type ClusterRequest = { prisma: PrismaClient; principal: Principal; teamSlug: string; clusterId: string; meta?: RequestMeta };

/** The team's cluster if the caller may `need` it; another team's cluster is simply not found. */
export async function findTeamCluster(opts: ClusterRequest, need: "read" | "operate") {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need });
  const cluster = /^[0-9a-f-]{36}$/i.test(opts.clusterId)
    ? await opts.prisma.cluster.findUnique({ where: { id: opts.clusterId }, select: { id: true, name: true, teamId: true, state: true } })
    : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found", { key: "error.cluster.notFound" });
  return { team, cluster };
}

/** A run of `kind` for the cluster that has not started or not finished yet. */
export async function pendingJob(prisma: PrismaClient, clusterId: string, kind: string) {
  return prisma.job.findFirst({ where: { clusterId, kind, state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
}
