import { AppError } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import type { StepDefinition } from "../../jobs/define";
import { failClusterOn } from "../shared/fail-cluster-on";
import { listClusterNodes } from "../shared/list-cluster-nodes";
import type { ProvisionClusterPayload } from "../shared/schemas";
import { resumeCluster } from "./resume-cluster";
import { lastTry } from "./step-context";

// Every node must be RUNNING (provisioned and hardened by its own "vm.provision" job) before k3s goes on.

export type ClusterNode = { id: string; name: string; role: "server" | "agent" };

/**
 * Returns the nodes once all are RUNNING; throws a transient BUSY AppError while any is still coming up, and
 * an AppError naming the first node that failed (the caller ends the cluster FAILED with it).
 */
export async function awaitClusterNodes(prisma: PrismaClient, clusterId: string): Promise<ClusterNode[]> {
  const nodes = await listClusterNodes(prisma, clusterId);
  if (!nodes.some((n) => n.clusterRole === "server")) throw new AppError("NOT_FOUND", "The cluster has no server node");
  const label = (n: (typeof nodes)[number]) => `${n.clusterRole === "server" ? "server" : "agent"} node ${n.name}`;
  const broken = nodes.find((n) => n.state !== "RUNNING" && n.state !== "PENDING" && n.state !== "PROVISIONING");
  if (broken)
    throw new AppError(
      "CONFLICT",
      `The ${label(broken)} is ${broken.state.toLowerCase()}${broken.lastError ? `: ${broken.lastError}` : ""}`,
    );
  const waiting = nodes.filter((n) => n.state !== "RUNNING");
  if (waiting.length)
    throw new AppError("BUSY", `waiting for ${waiting.map((n) => `${label(n)} (${n.state.toLowerCase()})`).join(", ")}`, {
      transient: true,
    });
  return nodes.map((n) => ({ id: n.id, name: n.name, role: n.clusterRole === "server" ? "server" : "agent" }));
}

export const waitNodesStep: StepDefinition<ProvisionClusterPayload> = {
  // The key is the one version 1 used for its server-only wait, so jobs enqueued before agents existed resume here.
  key: "wait-node",
  async run(ctx) {
    const { prisma, payload } = ctx;
    await resumeCluster(prisma, payload.clusterId);
    const nodes = await failClusterOn({ prisma, clusterId: payload.clusterId, giveUp: lastTry(ctx) }, () =>
      awaitClusterNodes(prisma, payload.clusterId),
    );
    ctx.log(`all ${nodes.length} node(s) running: ${nodes.map((n) => n.name).join(", ")}`);
    return { nodes };
  },
};
