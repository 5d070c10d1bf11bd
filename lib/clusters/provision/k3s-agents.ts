import type { StepDefinition } from "../../jobs/define";
import { bootstrapK3s, readJoinToken } from "../../k3s/bootstrap";
import { failClusterOn } from "../shared/fail-cluster-on";
import { loadCluster, type ClusterK3sOptions } from "../shared/load-cluster";
import type { ProvisionClusterPayload } from "../shared/schemas";
import { addressesOf, lastTry } from "./step-context";

/**
 * Joins every agent node to the server: the join token is read from the server over SSH and goes
 * only into each agent's install script (on stdin, as the installer's environment). It is never
 * stored, logged or returned, and is scrubbed from any error message.
 */
export async function joinClusterAgents(
  opts: ClusterK3sOptions & { giveUp?: boolean },
): Promise<{ agents: number; changed: string[]; serverUrl: string }> {
  let token: string | undefined;
  return failClusterOn({ prisma: opts.prisma, clusterId: opts.clusterId, giveUp: opts.giveUp, secret: () => token }, async () => {
    const c = await loadCluster(opts);
    const serverUrl = c.serverUrl;
    if (c.agents.length === 0) return { agents: 0, changed: [], serverUrl };
    const install = c.install();
    token = await readJoinToken({ shell: c.shellOf(c.server), privilege: "sudo", server: c.server.name });
    const changed: string[] = [];
    for (const agent of c.agents) {
      const boot = await bootstrapK3s({
        shell: c.shellOf(agent),
        privilege: "sudo",
        role: "agent",
        version: c.cluster.k3sVersion,
        install,
        nodeName: agent.name,
        apiAddress: c.serverAddress,
        join: { serverUrl, token },
      });
      if (boot.changed) changed.push(agent.name);
    }
    return { agents: c.agents.length, changed, serverUrl };
  });
}

export const k3sAgentsStep: StepDefinition<ProvisionClusterPayload> = {
  key: "k3s-agents",
  async run(ctx) {
    const r = await joinClusterAgents({
      prisma: ctx.prisma,
      clusterId: ctx.payload.clusterId,
      addresses: addressesOf(ctx),
      giveUp: lastTry(ctx),
    });
    ctx.log(`${r.agents} agent(s) joined to ${r.serverUrl}`);
    return r;
  },
};
