import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import type { Cluster, PrismaClient, VirtualMachine } from "../../generated/prisma/client";
import { enqueueJob } from "../../jobs/enqueue";
import { deleteVm } from "../../vms/delete/delete-vm";
import { placeOrder } from "../../vms/order/place-order";
import { provisionClusterJob } from "../provision/provision-cluster-job";
import { plannedNodes, type ClusterNodeRole } from "./planned-nodes";
import { OrderClusterInput } from "./schemas";

export interface OrderClusterOptions {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}

type PlacedNode = { vm: VirtualMachine; role: ClusterNodeRole };

/**
 * Orders a k3s cluster: one server and `agentCount` agents, each node ordered like any VM (quota,
 * residency policy and capacity are checked there, and its "vm.provision" job hardens it for its
 * k3s role). Either every node is placed or none stays: a refused node deletes the nodes already
 * placed (through the ordinary VM deletion) and no cluster is written. Then the cluster row, the
 * links to its nodes and the "cluster.provision" job are written together.
 */
export async function orderCluster(
  opts: OrderClusterOptions,
): Promise<{ cluster: Cluster; vmId: string; agentVmIds: string[]; jobId: string }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const parsed = OrderClusterInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Cluster order");
  const input = parsed.data;
  const clash = await prisma.cluster.findFirst({ where: { teamId: team.id, name: input.name }, select: { state: true } });
  if (clash)
    throw new AppError(
      "CONFLICT",
      `Your team already has a cluster named "${input.name}"${clash.state === "DELETED" ? " (deleted)" : ""}. Pick another name.`,
      { key: clash.state === "DELETED" ? "error.cluster.nameTakenDeleted" : "error.cluster.nameTaken", params: { name: input.name } },
    );

  const planned = plannedNodes(input.name, input.agentCount);
  const placed: PlacedNode[] = [];
  const undo = async () => {
    for (const p of placed.reverse())
      await deleteVm({ prisma, principal, teamSlug: opts.teamSlug, vmId: p.vm.id, meta: opts.meta }).catch(() => undefined);
  };
  for (const node of planned) {
    try {
      const { vm } = await placeOrder({
        prisma,
        principal,
        teamSlug: opts.teamSlug,
        meta: opts.meta,
        input: {
          name: node.name,
          regionCode: input.regionCode,
          planCode: input.planCode,
          imageSlug: input.imageSlug,
          sshKeyId: input.sshKeyId,
        },
      });
      placed.push({ vm, role: node.role });
    } catch (err) {
      await undo();
      if (!(err instanceof AppError) || planned.length === 1) throw err;
      const size = `${planned.length} nodes (1 server, ${input.agentCount} agent${input.agentCount === 1 ? "" : "s"})`;
      throw new AppError(
        err.code,
        `Cluster ${input.name} needs ${size}; node ${node.name} was refused: ${err.message}${/Nothing was ordered/.test(err.message) ? "" : " Nothing was ordered."}`,
        {
          details: err.details,
          cause: err,
          key: `error.cluster.nodeRefused${input.agentCount === 1 ? "Agent" : "Agents"}${/Nothing was ordered/.test(err.message) ? "" : "NothingOrdered"}`,
          params: {
            name: input.name,
            nodes: planned.length,
            agents: input.agentCount,
            node: node.name,
            reason: { message: err.message, code: err.code, key: err.key, params: err.params, details: err.details },
          },
        },
      );
    }
  }
  try {
    return await linkCluster({ prisma, principal, teamId: team.id, input, nodes: placed, meta: opts.meta });
  } catch (err) {
    // e.g. a concurrent order took the name first: do not leave the nodes behind.
    await undo();
    throw err;
  }
}

async function linkCluster(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamId: string;
  input: OrderClusterInput;
  nodes: PlacedNode[];
  meta?: RequestMeta;
}) {
  const { prisma, principal, input, nodes } = opts;
  const server = nodes.find((n) => n.role === "server")!.vm;
  const agentVmIds = nodes.filter((n) => n.role === "agent").map((n) => n.vm.id);
  return prisma.$transaction(async (tx) => {
    const cluster = await tx.cluster.create({
      data: {
        teamId: opts.teamId,
        name: input.name,
        regionId: server.regionId,
        k3sVersion: input.k3sVersion,
        installMode: "AIRGAP",
        state: "PROVISIONING",
        agentCount: input.agentCount,
        apiAllowFrom: [...new Set(input.apiAllowFrom)],
      },
    });
    for (const n of nodes) await tx.virtualMachine.update({ where: { id: n.vm.id }, data: { clusterId: cluster.id, clusterRole: n.role } });
    const { jobId } = await enqueueJob({
      prisma: tx,
      kind: provisionClusterJob,
      payload: { clusterId: cluster.id },
      dedupeKey: `cluster.provision:${cluster.id}`,
      teamId: opts.teamId,
      clusterId: cluster.id,
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(principal),
      action: "cluster.order",
      teamId: opts.teamId,
      targetType: "cluster",
      targetId: cluster.id,
      details: {
        name: cluster.name,
        k3sVersion: cluster.k3sVersion,
        apiAllowFrom: cluster.apiAllowFrom,
        serverVmId: server.id,
        agentVmIds,
        jobId,
      },
      meta: opts.meta,
    });
    return { cluster, vmId: server.id, agentVmIds, jobId };
  });
}
