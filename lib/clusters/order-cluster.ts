import { requireTeam } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../auth/principal";
import { AppError, fromZod } from "../core/errors";
import type { Cluster, PrismaClient } from "../generated/prisma/client";
import { enqueueJob } from "../jobs/enqueue";
import { placeOrder } from "../orders/place-order";
import { deleteVm } from "../orders/vm-actions";
import { provisionClusterJob } from "./jobs/provision-cluster";
import { OrderClusterInput, serverNodeName } from "./schemas";

export interface OrderClusterOptions {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}

/**
 * Orders a one-server k3s cluster: the server node is ordered like any VM (quota, residency policy
 * and capacity are checked there, and its "vm.provision" job hardens it as a k3s server), then the
 * cluster row, the link to its node and the "cluster.provision" job are written together.
 */
export async function orderCluster(opts: OrderClusterOptions): Promise<{ cluster: Cluster; vmId: string; jobId: string }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const parsed = OrderClusterInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Cluster order");
  const input = parsed.data;
  const clash = await prisma.cluster.findFirst({ where: { teamId: team.id, name: input.name }, select: { state: true } });
  if (clash) throw new AppError("CONFLICT", `Your team already has a cluster named "${input.name}"${clash.state === "DELETED" ? " (deleted)" : ""}. Pick another name.`);

  const { vm } = await placeOrder({ prisma, principal, teamSlug: opts.teamSlug, meta: opts.meta, input: { name: serverNodeName(input.name), regionCode: input.regionCode, planCode: input.planCode, imageSlug: input.imageSlug, sshKeyId: input.sshKeyId } });
  try {
    return await linkCluster({ prisma, principal, teamId: team.id, input, vm, meta: opts.meta });
  } catch (err) {
    // e.g. a concurrent order took the name first: do not leave the node behind.
    await deleteVm({ prisma, principal, teamSlug: opts.teamSlug, vmId: vm.id, meta: opts.meta }).catch(() => undefined);
    throw err;
  }
}

async function linkCluster(opts: { prisma: PrismaClient; principal: Principal; teamId: string; input: OrderClusterInput; vm: { id: string; regionId: string }; meta?: RequestMeta }) {
  const { prisma, principal, input, vm } = opts;
  const team = { id: opts.teamId };
  return prisma.$transaction(async (tx) => {
    const cluster = await tx.cluster.create({ data: { teamId: team.id, name: input.name, regionId: vm.regionId, k3sVersion: input.k3sVersion, installMode: "AIRGAP", state: "PROVISIONING" } });
    await tx.virtualMachine.update({ where: { id: vm.id }, data: { clusterId: cluster.id, clusterRole: "server" } });
    const { jobId } = await enqueueJob({ prisma: tx, kind: provisionClusterJob, payload: { clusterId: cluster.id }, dedupeKey: `cluster.provision:${cluster.id}`, teamId: team.id, clusterId: cluster.id });
    await recordAudit({ prisma: tx, ...actorOf(principal), action: "cluster.order", teamId: team.id, targetType: "cluster", targetId: cluster.id, details: { name: cluster.name, k3sVersion: cluster.k3sVersion, serverVmId: vm.id, jobId }, meta: opts.meta });
    return { cluster, vmId: vm.id, jobId };
  });
}
