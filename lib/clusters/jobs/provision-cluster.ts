import { AppError } from "../../core/errors";
import { defineJob, type StepDefinition } from "../../jobs/define";
import { TransientError } from "../../jobs/errors";
import { bootstrapClusterNode } from "../bootstrap-cluster";
import { ProvisionClusterPayload } from "../schemas";

// A cluster order: the server node is an ordinary VM order (the "vm.provision" job places, boots,
// hardens and verifies it); this job waits for it, then installs hardened k3s on it and stores the
// kubeconfig. A node that failed, or missing air-gap artifacts, end the cluster FAILED with the reason.

const waitNodeStep: StepDefinition<ProvisionClusterPayload> = {
  key: "wait-node",
  async run({ prisma, payload }) {
    const node = await prisma.virtualMachine.findFirst({ where: { clusterId: payload.clusterId, clusterRole: "server" }, select: { id: true, name: true, state: true, lastError: true } });
    if (!node) throw new AppError("NOT_FOUND", "The cluster has no server node");
    if (node.state === "RUNNING") return { nodeId: node.id };
    if (node.state === "PENDING" || node.state === "PROVISIONING") throw new TransientError(`server node ${node.name} is still ${node.state.toLowerCase()}`);
    const reason = `The server node ${node.name} is ${node.state.toLowerCase()}${node.lastError ? `: ${node.lastError}` : ""}`;
    await prisma.cluster.update({ where: { id: payload.clusterId }, data: { state: "FAILED", lastError: reason } });
    throw new AppError("CONFLICT", reason);
  },
};

const k3sStep: StepDefinition<ProvisionClusterPayload> = {
  key: "k3s",
  async run({ prisma, payload, log }) {
    const r = await bootstrapClusterNode({ prisma, clusterId: payload.clusterId });
    log(`k3s ready: ${r.passed} controls pass, ${r.failed} fail`);
    return r;
  },
};

export const provisionClusterJob = defineJob({
  name: "cluster.provision",
  payload: ProvisionClusterPayload,
  steps: [waitNodeStep, k3sStep],
  // The node takes minutes under software emulation: wait with backoff up to about 40 minutes.
  retry: { maxAttempts: 90, baseDelayMs: 5_000, maxDelayMs: 30_000 },
});
