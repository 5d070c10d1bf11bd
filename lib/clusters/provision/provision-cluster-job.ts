import { defineJob } from "../../jobs/define";
import { ProvisionClusterPayload } from "../shared/schemas";
import { firewallStep } from "./firewall";
import { k3sAgentsStep } from "./k3s-agents";
import { k3sServerStep } from "./k3s-server";
import { readyStep } from "./ready";
import { waitNodesStep } from "./wait-node";

// A cluster order: each node is an ordinary VM order (its "vm.provision" job places, boots, hardens
// and verifies it). This job waits for ALL nodes, re-applies every node's firewall so the k3s ports
// are open only between the cluster's node addresses, installs hardened k3s on the server, joins the
// agents with the server's join token (read over SSH, never stored), proves the server's controls,
// stores the kubeconfig and marks the cluster READY. A failed node, or missing air-gap artifacts,
// end the cluster FAILED with the reason. Every step converges: a killed job re-runs safely.

export const provisionClusterJob = defineJob({
  name: "cluster.provision",
  payload: ProvisionClusterPayload,
  steps: [waitNodesStep, firewallStep, k3sServerStep, k3sAgentsStep, readyStep],
  // The nodes take minutes under software emulation: wait with backoff up to about 40 minutes.
  retry: { maxAttempts: 90, baseDelayMs: 5_000, maxDelayMs: 30_000 },
});
