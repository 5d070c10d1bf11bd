import { defineJob } from "../../jobs/define";
import { verifyVm } from "../../vms/verify/verify-vm";
import { listClusterNodes } from "../shared/list-cluster-nodes";
import { readClusterAddresses } from "../shared/node-addresses";
import { ProvisionClusterPayload } from "../shared/schemas";
import { verifyClusterK3s } from "./verify-cluster";

// Re-runs a ready cluster's checks on demand: its k3s controls (server and agents) into a new k3s
// report, then each node's guest controls into a new guest report; each report names the controls
// that drifted from pass to fail since the one before. Reads only: nothing on the nodes changes.

export const verifyClusterJob = defineJob({
  name: "cluster.verify",
  payload: ProvisionClusterPayload,
  retry: { maxAttempts: 3, baseDelayMs: 2_000, maxDelayMs: 15_000 },
  steps: [
    {
      key: "k3s",
      async run({ prisma, payload, log }) {
        // The agents' controls check the server URL they joined, which uses the nodes' own addresses.
        const addresses = await readClusterAddresses({ prisma, nodes: await listClusterNodes(prisma, payload.clusterId) });
        const r = await verifyClusterK3s({ prisma, clusterId: payload.clusterId, addresses });
        log(r.drift.length ? `k3s drift: ${r.drift.join(", ")} now fail` : `k3s: ${r.passed} pass, ${r.failed} fail`);
        return r;
      },
    },
    {
      key: "nodes",
      async run({ prisma, payload, log }) {
        const out: Record<string, { failed: number; drift: string[] }> = {};
        for (const node of await listClusterNodes(prisma, payload.clusterId)) {
          const r = await verifyVm({ prisma, vmId: node.id });
          out[node.name] = { failed: r.failed, drift: r.drift.map((d) => d.id) };
          log(`${node.name}: ${r.passed} pass, ${r.failed} fail${r.drift.length ? `; drift ${r.drift.map((d) => d.id).join(", ")}` : ""}`);
        }
        return out;
      },
    },
  ],
});
