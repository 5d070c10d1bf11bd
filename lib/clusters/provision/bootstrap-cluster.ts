import type { ClusterK3sOptions } from "../shared/load-cluster";
import { joinClusterAgents } from "./k3s-agents";
import { bootstrapClusterServer } from "./k3s-server";
import { finishCluster } from "./ready";
import { resumeCluster } from "./resume-cluster";

export type BootstrapClusterResult = { state: "READY"; passed: number; failed: number; changed: boolean };

/** The whole k3s half in one call: server, agents, proof, READY (the job runs the same pieces as separate steps). */
export async function bootstrapClusterNode(opts: ClusterK3sOptions): Promise<BootstrapClusterResult> {
  await resumeCluster(opts.prisma, opts.clusterId);
  const server = await bootstrapClusterServer(opts);
  const agents = await joinClusterAgents(opts);
  const done = await finishCluster(opts);
  return { state: "READY", ...done, changed: server.changed || agents.changed.length > 0 };
}
