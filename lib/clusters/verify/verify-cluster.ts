import { AppError } from "../../core/errors";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { diffReports, hardeningReportSchema, summariseControls, type ControlResult, type HardeningReportData } from "../../guest/report";
import { collectAgentEvidence, evaluateAgentControls } from "../../k3s/verify/agent-controls";
import { evaluateK3sControls } from "../../k3s/verify/k3s-controls";
import { collectK3sEvidence } from "../../k3s/verify/k3s-evidence";
import { loadCluster, TENANT_NAMESPACES, type ClusterK3sOptions, type LoadedCluster } from "../shared/load-cluster";

/** Reads the server's and each agent's k3s controls: one k3s report for the whole cluster, server first. */
export async function collectClusterReport(c: LoadedCluster): Promise<HardeningReportData> {
  const server = evaluateK3sControls({
    evidence: await collectK3sEvidence({ shell: c.shellOf(c.server), privilege: "sudo" }),
    tenantNamespaces: TENANT_NAMESPACES,
  });
  const agentControls: ControlResult[] = [];
  for (const agent of c.agents) {
    agentControls.push(
      ...evaluateAgentControls({
        evidence: await collectAgentEvidence({ shell: c.shellOf(agent), privilege: "sudo" }),
        nodeName: agent.name,
        serverUrl: c.serverUrl,
      }),
    );
  }
  return summariseControls("k3s", [...server.controls, ...agentControls]);
}

export type ClusterVerifyResult = { passed: number; failed: number; drift: string[] };

/**
 * Re-reads a ready cluster's k3s controls and stores a new report next to the earlier ones, with the
 * controls that went from pass to fail since the last one (a weakened policy, a deleted NetworkPolicy…).
 */
export async function verifyClusterK3s(opts: ClusterK3sOptions): Promise<ClusterVerifyResult> {
  return verifyLoadedCluster(opts.prisma, await loadCluster(opts));
}

export async function verifyLoadedCluster(prisma: PrismaClient, c: LoadedCluster): Promise<ClusterVerifyResult> {
  if (c.cluster.state !== "READY")
    throw new AppError("CONFLICT", `Cluster ${c.cluster.name} is ${c.cluster.state.toLowerCase()}: only a ready cluster can be checked`, {
      key: "error.cluster.verifyNotReadyJob",
      params: { name: c.cluster.name, clusterState: c.cluster.state },
    });
  const current = await collectClusterReport(c);
  const last = await prisma.hardeningReport.findFirst({
    where: { clusterId: c.cluster.id, scope: "k3s" },
    orderBy: { createdAt: "desc" },
    select: { controls: true, passed: true, failed: true, notApplicable: true },
  });
  const previous = last ? hardeningReportSchema.safeParse({ scope: "k3s", ...last }) : null;
  const drift = diffReports({ previous: previous?.success ? previous.data : null, current }).map((d) => d.id);
  await prisma.hardeningReport.create({
    data: {
      clusterId: c.cluster.id,
      scope: "k3s",
      passed: current.passed,
      failed: current.failed,
      notApplicable: current.notApplicable,
      controls: current.controls as unknown as Prisma.InputJsonValue,
      driftFrom: drift.length ? drift.join(",") : null,
    },
  });
  return { passed: current.passed, failed: current.failed, drift };
}
