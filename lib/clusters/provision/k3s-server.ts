import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { bootstrapK3s } from "../../k3s/bootstrap";
import { failClusterOn } from "../shared/fail-cluster-on";
import { loadCluster, TENANT_NAMESPACES, type ClusterK3sOptions } from "../shared/load-cluster";
import type { ProvisionClusterPayload } from "../shared/schemas";
import { teamSigningKeys } from "../shared/team-signing-keys";
import { addressesOf, lastTry } from "./step-context";

/** Installs or converges hardened k3s on the server node; nothing is stored. */
export async function bootstrapClusterServer(opts: ClusterK3sOptions & { giveUp?: boolean }): Promise<{ changed: boolean }> {
  return failClusterOn({ prisma: opts.prisma, clusterId: opts.clusterId, giveUp: opts.giveUp }, async () => {
    const c = await loadCluster(opts);
    const install = c.install();
    const boot = await bootstrapK3s({
      shell: c.shellOf(c.server),
      privilege: "sudo",
      version: c.cluster.k3sVersion,
      install,
      nodeName: c.server.name,
      apiAddress: c.apiAddress,
      tenantNamespaces: TENANT_NAMESPACES,
      imageSigningKeys: await teamSigningKeys(opts.prisma, c.cluster.teamId),
      readyTimeoutSeconds: c.readyTimeoutSeconds,
    });
    if (!boot.ready) throw new AppError("TIMEOUT", `k3s on ${c.server.name} did not report ready`);
    return { changed: boot.changed };
  });
}

export const k3sServerStep: StepDefinition<ProvisionClusterPayload> = {
  key: "k3s-server",
  async run(ctx) {
    const r = await bootstrapClusterServer({
      prisma: ctx.prisma,
      clusterId: ctx.payload.clusterId,
      addresses: addressesOf(ctx),
      giveUp: lastTry(ctx),
    });
    ctx.log(`k3s server ready${r.changed ? " (changed)" : " (already converged)"}`);
    return r;
  },
};
