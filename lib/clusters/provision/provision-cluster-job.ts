import { z } from "zod";
import { defineJob, type StepContext, type StepDefinition } from "../../jobs/define";
import { bootstrapClusterServer, failClusterOn, finishCluster, joinClusterAgents, resumeCluster } from "./bootstrap-cluster";
import { applyClusterFirewall, awaitClusterNodes } from "./firewall";
import { ProvisionClusterPayload } from "../order/schemas";

// A cluster order: each node is an ordinary VM order (its "vm.provision" job places, boots, hardens
// and verifies it). This job waits for ALL nodes, re-applies every node's firewall so the k3s ports
// are open only between the cluster's node addresses, installs hardened k3s on the server, joins the
// agents with the server's join token (read over SSH, never stored), proves the server's controls,
// stores the kubeconfig and marks the cluster READY. A failed node, or missing air-gap artifacts,
// end the cluster FAILED with the reason. Every step converges: a killed job re-runs safely.

type Ctx = StepContext<ProvisionClusterPayload>;
const lastTry = (ctx: Ctx) => ctx.job.attempt >= ctx.job.maxAttempts;

const waitNodesStep: StepDefinition<ProvisionClusterPayload> = {
  // The key is the one version 1 used for its server-only wait, so jobs enqueued before agents existed resume here.
  key: "wait-node",
  async run(ctx) {
    const { prisma, payload } = ctx;
    await resumeCluster(prisma, payload.clusterId);
    const nodes = await failClusterOn({ prisma, clusterId: payload.clusterId, giveUp: lastTry(ctx) }, () => awaitClusterNodes(prisma, payload.clusterId));
    ctx.log(`all ${nodes.length} node(s) running: ${nodes.map((n) => n.name).join(", ")}`);
    return { nodes };
  },
};

const nodesOutput = z.object({ nodes: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(["server", "agent"]) })) });
const firewallOutput = z.object({ addresses: z.record(z.string(), z.string()) });

const firewallStep: StepDefinition<ProvisionClusterPayload> = {
  key: "firewall",
  async run(ctx) {
    const { prisma, payload } = ctx;
    const r = await failClusterOn({ prisma, clusterId: payload.clusterId, giveUp: lastTry(ctx) }, async () => {
      // A version-1 job's checkpointed wait recorded only the server: ask again.
      const waited = nodesOutput.safeParse(ctx.outputs["wait-node"]);
      const nodes = waited.success ? waited.data.nodes : await awaitClusterNodes(prisma, payload.clusterId);
      const { apiAllowFrom } = await prisma.cluster.findUniqueOrThrow({ where: { id: payload.clusterId }, select: { apiAllowFrom: true } });
      return { ...(await applyClusterFirewall({ prisma, nodes, apiAllowFrom })), apiAllowFrom };
    });
    const api = r.apiAllowFrom.length ? `; the API also from ${r.apiAllowFrom.join(", ")}` : "";
    ctx.log(`k3s ports open only between ${[...new Set(Object.values(r.addresses))].join(", ")}${api}; changed on ${r.changed.length} node(s)`);
    return r;
  },
};

const addressesOf = (ctx: Ctx) => firewallOutput.parse(ctx.outputs["firewall"]).addresses;

const serverStep: StepDefinition<ProvisionClusterPayload> = {
  key: "k3s-server",
  async run(ctx) {
    const r = await bootstrapClusterServer({ prisma: ctx.prisma, clusterId: ctx.payload.clusterId, addresses: addressesOf(ctx), giveUp: lastTry(ctx) });
    ctx.log(`k3s server ready${r.changed ? " (changed)" : " (already converged)"}`);
    return r;
  },
};

const agentsStep: StepDefinition<ProvisionClusterPayload> = {
  key: "k3s-agents",
  async run(ctx) {
    const r = await joinClusterAgents({ prisma: ctx.prisma, clusterId: ctx.payload.clusterId, addresses: addressesOf(ctx), giveUp: lastTry(ctx) });
    ctx.log(`${r.agents} agent(s) joined to ${r.serverUrl}`);
    return r;
  },
};

const readyStep: StepDefinition<ProvisionClusterPayload> = {
  key: "ready",
  async run(ctx) {
    const r = await finishCluster({ prisma: ctx.prisma, clusterId: ctx.payload.clusterId, addresses: addressesOf(ctx), giveUp: lastTry(ctx) });
    ctx.log(`k3s ready: ${r.passed} controls pass, ${r.failed} fail`);
    return r;
  },
};

export const provisionClusterJob = defineJob({
  name: "cluster.provision",
  payload: ProvisionClusterPayload,
  steps: [waitNodesStep, firewallStep, serverStep, agentsStep, readyStep],
  // The nodes take minutes under software emulation: wait with backoff up to about 40 minutes.
  retry: { maxAttempts: 90, baseDelayMs: 5_000, maxDelayMs: 30_000 },
});
