import { AppError } from "../../core/errors";
import { encryptSecret } from "../../core/secrets";
import type { Prisma } from "../../generated/prisma/client";
import type { StepDefinition } from "../../jobs/define";
import { fetchKubeconfig } from "../../k3s/kubeconfig";
import { recordPortalHeldData } from "../../residency/portal-held";
import { failClusterOn } from "../shared/fail-cluster-on";
import { loadCluster, type ClusterK3sOptions } from "../shared/load-cluster";
import type { ProvisionClusterPayload } from "../shared/schemas";
import { collectClusterReport, verifyLoadedCluster } from "../verify/verify-cluster";
import { addressesOf, lastTry } from "./step-context";

/** Proves the server's and each agent's k3s controls, stores the report and the encrypted kubeconfig, and marks the cluster READY. */
export async function finishCluster(opts: ClusterK3sOptions & { giveUp?: boolean }): Promise<{ passed: number; failed: number }> {
  return failClusterOn({ prisma: opts.prisma, clusterId: opts.clusterId, giveUp: opts.giveUp }, async () => {
    const c = await loadCluster(opts);
    // Already READY: a re-run after the READY transaction committed (the worker died before its
    // checkpoint), or a re-apply of a ready cluster (e.g. its team's signing keys changed): prove it again.
    if (c.cluster.state === "READY") return verifyLoadedCluster(opts.prisma, c);
    const shell = c.shellOf(c.server);
    const kubeconfig = await fetchKubeconfig({ shell, apiAddress: c.apiAddress, privilege: "sudo" });
    const report = await collectClusterReport(c);
    await opts.prisma.$transaction(async (tx) => {
      // Only a cluster still being provisioned becomes READY: a cluster deleted meanwhile stays deleted, without a kubeconfig.
      const won = await tx.cluster.updateMany({
        where: { id: c.cluster.id, state: "PROVISIONING" },
        data: {
          state: "READY",
          readyAt: new Date(),
          kubeconfigEnc: encryptSecret(kubeconfig),
          apiEndpoint: `https://${c.apiAddress}:6443`,
          lastError: null,
        },
      });
      if (won.count === 0)
        throw new AppError("CONFLICT", `Cluster ${c.cluster.name} is no longer being provisioned`, {
          key: "error.cluster.notProvisioning",
          params: { name: c.cluster.name },
        });
      await tx.hardeningReport.deleteMany({ where: { clusterId: c.cluster.id, scope: "k3s" } });
      await tx.hardeningReport.create({
        data: {
          clusterId: c.cluster.id,
          scope: "k3s",
          passed: report.passed,
          failed: report.failed,
          notApplicable: report.notApplicable,
          controls: report.controls as unknown as Prisma.InputJsonValue,
        },
      });
      const open = await tx.dataLocation.count({ where: { resourceId: c.cluster.id, resourceKind: "KUBECONFIG" } });
      if (open === 0)
        await recordPortalHeldData({
          prisma: tx,
          teamId: c.cluster.teamId,
          resourceKind: "KUBECONFIG",
          resourceId: c.cluster.id,
          resourceName: `kubeconfig of ${c.cluster.name}`,
          actor: "cluster.provision",
        });
    });
    return { passed: report.passed, failed: report.failed };
  });
}

export const readyStep: StepDefinition<ProvisionClusterPayload> = {
  key: "ready",
  async run(ctx) {
    const r = await finishCluster({
      prisma: ctx.prisma,
      clusterId: ctx.payload.clusterId,
      addresses: addressesOf(ctx),
      giveUp: lastTry(ctx),
    });
    ctx.log(`k3s ready: ${r.passed} controls pass, ${r.failed} fail`);
    return r;
  },
};
