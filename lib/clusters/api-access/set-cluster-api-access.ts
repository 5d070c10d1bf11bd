import { z } from "zod";
import { requireTeam } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import type { Principal, RequestMeta } from "../../access/principal";
import { AppError, fromZod, notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import type { DbClient } from "../../jobs/db";
import { enqueueJob } from "../../jobs/enqueue";
import { provisionClusterJob } from "../provision/provision-cluster-job";
import { verifyClusterJob } from "../verify/verify-cluster-job";
import { OrderClusterInput } from "../order/schemas";

// What a tenant can ask of an existing cluster besides deleting it: re-run its checks (any member,
// auditors included: it only reads), retry a cluster whose provisioning failed, or change the
// networks its Kubernetes API is open to (operators).

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

/** How long a re-apply waits when the cluster is being converged already (a converge takes about a minute). */
const REAPPLY_AFTER_RUNNING_MS = 5 * 60_000;

/**
 * Queues "cluster.provision" again for a ready cluster so a changed input (signing keys, API
 * networks) reaches its nodes. A queued run reads the inputs when it starts and is enough; a run
 * already under way may have read the old ones, so the new one starts after it rather than beside it.
 */
export async function reapplyToCluster(prisma: DbClient, cluster: { id: string; teamId: string }): Promise<{ jobId: string }> {
  const open = await prisma.job.findMany({ where: { clusterId: cluster.id, kind: provisionClusterJob.name, state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, state: true } });
  const queued = open.find((j) => j.state === "QUEUED");
  if (queued) return { jobId: queued.id };
  const runAt = open.length ? new Date(Date.now() + REAPPLY_AFTER_RUNNING_MS) : undefined;
  return enqueueJob({ prisma, kind: provisionClusterJob, payload: { clusterId: cluster.id }, teamId: cluster.teamId, clusterId: cluster.id, runAt });
}

export const UpdateClusterInput = z.strictObject({ apiAllowFrom: OrderClusterInput.shape.apiAllowFrom.unwrap() });

/**
 * Sets the networks (besides the nodes) the cluster's Kubernetes API is open to. On a READY cluster
 * the firewall is re-applied by "cluster.provision"; a FAILED one takes the list on its retry.
 */
export async function setClusterApiAccess(opts: ClusterAction & { input: unknown }): Promise<{ apiAllowFrom: string[]; changed: boolean; jobId: string | null }> {
  const parsed = UpdateClusterInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Cluster API networks");
  const { team, cluster } = await findTeamCluster(opts, "operate");
  const apiAllowFrom = [...new Set(parsed.data.apiAllowFrom)];
  return opts.prisma.$transaction(async (tx) => {
    // Locked, so two changes at once are applied and audited one after the other, each with its true "from".
    const [row] = await tx.$queryRaw<{ state: string; apiAllowFrom: string[] | null }[]>`
      SELECT state::text AS state, "apiAllowFrom" FROM "Cluster" WHERE id = ${cluster.id}::uuid FOR UPDATE`;
    if (!row) throw notFound("Cluster not found");
    if (row.state !== "READY" && row.state !== "FAILED") {
      throw new AppError("CONFLICT", `${cluster.name} is ${row.state.toLowerCase()}: the API's networks can be changed once it is ready (or has failed).`);
    }
    const before = row.apiAllowFrom ?? [];
    if (before.length === apiAllowFrom.length && before.every((n, i) => n === apiAllowFrom[i])) return { apiAllowFrom, changed: false, jobId: null };
    await tx.cluster.update({ where: { id: cluster.id }, data: { apiAllowFrom } });
    const jobId = row.state === "READY" ? (await reapplyToCluster(tx, { id: cluster.id, teamId: team.id })).jobId : null;
    await recordAudit({ prisma: tx, ...actorOf(opts.principal), action: "cluster.api-access", teamId: team.id, targetType: "cluster", targetId: cluster.id, details: { name: cluster.name, from: before, to: apiAllowFrom, jobId }, meta: opts.meta });
    return { apiAllowFrom, changed: true, jobId };
  });
}
