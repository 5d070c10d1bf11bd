import type { PrismaClient } from "../../generated/prisma/client";
import { hardenGuest } from "../../guest/harden-guest";
import type { StepDefinition } from "../../jobs/define";
import type { SshPool } from "../../ssh/pool";
import { hardeningInputOf } from "../../vms/shared/hardening-input";
import { verifyVm } from "../../vms/verify/verify-vm";
import { failClusterOn } from "../shared/fail-cluster-on";
import { readNodeAddresses } from "../shared/node-addresses";
import type { ProvisionClusterPayload } from "../shared/schemas";
import { lastTry, nodesOutput } from "./step-context";
import { awaitClusterNodes, type ClusterNode } from "./wait-node";

// Each node's firewall is re-applied so that the k3s ports are open only between the cluster's node
// addresses (and the API to the networks the tenant named).

const asCidr = (a: string) => (a.includes(":") ? `${a}/128` : `${a}/32`);

/**
 * Re-applies each node's hardening with `k3sNodeCidrs` = every node's address (and the API open to
 * `apiAllowFrom` too on the server), then re-verifies it
 * (a guest hardening report per node, with drift against the last one). Idempotent: the hardening
 * script converges and reloads the firewall only when its file changed.
 */
async function applyClusterFirewall(opts: {
  prisma: PrismaClient;
  nodes: ClusterNode[];
  /** networks the tenant opened the API (6443, servers only) to, besides the nodes */
  apiAllowFrom?: readonly string[];
  pool?: SshPool;
}): Promise<{ addresses: Record<string, string>; changed: string[]; failedControls: number }> {
  const { pool, loaded, shells, addresses } = await readNodeAddresses(opts);
  const k3sApiAllowFrom = [...(opts.apiAllowFrom ?? [])];
  const k3sNodeCidrs = [...new Set(Object.values(addresses).map(asCidr))].sort();
  const changed: string[] = [];
  let failedControls = 0;
  for (const vm of loaded) {
    const r = await hardenGuest({ shell: shells.get(vm.id)!, privilege: "sudo", ...hardeningInputOf(vm), k3sNodeCidrs, k3sApiAllowFrom });
    if (r.changed) changed.push(vm.name);
    failedControls += (await verifyVm({ prisma: opts.prisma, vmId: vm.id, pool })).failed;
  }
  return { addresses, changed, failedControls };
}

export const firewallStep: StepDefinition<ProvisionClusterPayload> = {
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
    ctx.log(
      `k3s ports open only between ${[...new Set(Object.values(r.addresses))].join(", ")}${api}; changed on ${r.changed.length} node(s)`,
    );
    return r;
  },
};
