import { z } from "zod";
import { requireTeam } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../auth/principal";
import { AppError, notFound } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { enqueueJob } from "../jobs/enqueue";
import { provisionClusterJob } from "./jobs/provision-cluster";
import { verifyClusterJob } from "./jobs/verify-cluster";

// What a tenant can ask of an existing cluster besides deleting it: re-run its checks (any member,
// auditors included: it only reads), or retry a cluster whose provisioning failed (operators).

export const ClusterActionBody = z.strictObject({ action: z.enum(["verify", "retry"]) });

type ClusterAction = { prisma: PrismaClient; principal: Principal; teamSlug: string; clusterId: string; meta?: RequestMeta };

async function findTeamCluster(opts: ClusterAction, need: "read" | "operate") {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need });
  const cluster = /^[0-9a-f-]{36}$/i.test(opts.clusterId) ? await opts.prisma.cluster.findUnique({ where: { id: opts.clusterId }, select: { id: true, name: true, teamId: true, state: true } }) : null;
  if (!cluster || cluster.teamId !== team.id) throw notFound("Cluster not found");
  return { team, cluster };
}

async function pendingJob(prisma: PrismaClient, clusterId: string, kind: string) {
  return prisma.job.findFirst({ where: { clusterId, kind, state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
}

/** Re-runs the k3s and guest checks of a ready cluster ("cluster.verify"); a run already waiting is reused. */
export async function verifyClusterNow(opts: ClusterAction): Promise<{ jobId: string }> {
  const { team, cluster } = await findTeamCluster(opts, "read");
  if (cluster.state !== "READY") throw new AppError("CONFLICT", `${cluster.name} is ${cluster.state.toLowerCase()}: only a ready cluster can be checked.`);
  const pending = await pendingJob(opts.prisma, cluster.id, verifyClusterJob.name);
  if (pending) return { jobId: pending.id };
  const { jobId } = await enqueueJob({ prisma: opts.prisma, kind: verifyClusterJob, payload: { clusterId: cluster.id }, teamId: team.id, clusterId: cluster.id });
  await recordAudit({ prisma: opts.prisma, ...actorOf(opts.principal), action: "cluster.verify", teamId: team.id, targetType: "cluster", targetId: cluster.id, details: { name: cluster.name, jobId }, meta: opts.meta });
  return { jobId };
}

/** Runs "cluster.provision" again for a FAILED cluster (e.g. after the operator placed the missing air-gap file). */
export async function retryCluster(opts: ClusterAction): Promise<{ jobId: string }> {
  const { team, cluster } = await findTeamCluster(opts, "operate");
  if (cluster.state !== "FAILED") throw new AppError("CONFLICT", `${cluster.name} is ${cluster.state.toLowerCase()}: only a failed cluster can be retried.`);
  const pending = await pendingJob(opts.prisma, cluster.id, provisionClusterJob.name);
  if (pending) return { jobId: pending.id };
  const { jobId } = await enqueueJob({ prisma: opts.prisma, kind: provisionClusterJob, payload: { clusterId: cluster.id }, teamId: team.id, clusterId: cluster.id });
  await recordAudit({ prisma: opts.prisma, ...actorOf(opts.principal), action: "cluster.retry", teamId: team.id, targetType: "cluster", targetId: cluster.id, details: { name: cluster.name, jobId }, meta: opts.meta });
  return { jobId };
}
