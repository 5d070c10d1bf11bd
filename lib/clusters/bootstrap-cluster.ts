import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import { env } from "../core/env";
import { encryptSecret } from "../core/secrets";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { guestTarget } from "../guest/verify-vm";
import { hostContext } from "../hosts/host-target";
import { bootstrapK3s } from "../k3s/bootstrap";
import { fetchKubeconfig } from "../k3s/kubeconfig";
import { evaluateK3sControls } from "../k3s/verify/k3s-controls";
import { collectK3sEvidence } from "../k3s/verify/k3s-evidence";
import { recordPortalHeldData } from "../residency/portal-held";
import type { SshPool } from "../ssh/pool";
import { createGuestShell } from "./guest-shell";

// The k3s half of a cluster order: the server node VM is already provisioned and hardened (role
// k3s-server) by the VM pipeline. This installs hardened k3s on it, proves it, and stores the
// kubeconfig encrypted with its residency entry. A failure ends the cluster FAILED with the reason
// an operator can act on (e.g. the missing air-gap artifact), never a faked success.

export const TENANT_NAMESPACES = ["apps"];

const inputSchema = z.object({ clusterId: z.string().uuid(), artifactsDir: z.string().min(1).optional(), readyTimeoutSeconds: z.number().int().min(10).max(3600).optional() });

export type BootstrapClusterResult = { state: "READY"; passed: number; failed: number; changed: boolean };

export async function bootstrapClusterNode(opts: z.input<typeof inputSchema> & { prisma: PrismaClient; pool?: SshPool }): Promise<BootstrapClusterResult> {
  const parsed = inputSchema.safeParse({ clusterId: opts.clusterId, artifactsDir: opts.artifactsDir, readyTimeoutSeconds: opts.readyTimeoutSeconds });
  if (!parsed.success) throw fromZod(parsed.error, "Invalid cluster bootstrap");
  const { prisma } = opts;
  const { clusterId, readyTimeoutSeconds } = parsed.data;
  const cluster = await prisma.cluster.findUnique({
    where: { id: clusterId },
    select: { id: true, name: true, teamId: true, k3sVersion: true, installMode: true, nodes: { where: { clusterRole: "server" }, select: { id: true, name: true, state: true, adminUser: true, sshHost: true, sshPort: true, ipAddress: true, guestHostKeyFingerprint: true, mgmtKeyEnc: true, clusterRole: true, host: true } } },
  });
  if (!cluster) throw new AppError("NOT_FOUND", "No such cluster");
  const server = cluster.nodes[0];
  if (!server?.host || server.state !== "RUNNING") throw new AppError("CONFLICT", `Cluster ${cluster.name} has no running server node yet`);

  try {
    const artifactsDir = parsed.data.artifactsDir ?? env().SKJOLD_K3S_ARTIFACTS_DIR;
    if (cluster.installMode === "AIRGAP" && !artifactsDir) throw new AppError("CONFLICT", "k3s air-gap artifacts are not configured: set SKJOLD_K3S_ARTIFACTS_DIR to the folder with the release files (see docs/k3s.md)");
    await prisma.cluster.update({ where: { id: cluster.id }, data: { state: "PROVISIONING", lastError: null } });
    const ctx = hostContext(server.host, opts.pool);
    const shell = createGuestShell({ pool: ctx.pool, target: guestTarget({ vm: server, host: server.host, via: ctx.target }), privilege: "sudo", step: `k3s on ${server.name}` });
    const apiAddress = server.ipAddress ?? server.name;
    const install = cluster.installMode === "AIRGAP" ? { mode: "airgap" as const, artifactsDir: artifactsDir! } : { mode: "online" as const };
    const boot = await bootstrapK3s({ shell, privilege: "sudo", version: cluster.k3sVersion, install, nodeName: server.name, apiAddress, tenantNamespaces: TENANT_NAMESPACES, readyTimeoutSeconds });
    if (!boot.ready) throw new AppError("TIMEOUT", `k3s on ${server.name} did not report ready`);
    const kubeconfig = await fetchKubeconfig({ shell, apiAddress, privilege: "sudo" });
    const report = evaluateK3sControls({ evidence: await collectK3sEvidence({ shell, privilege: "sudo" }), tenantNamespaces: TENANT_NAMESPACES });
    await prisma.$transaction(async (tx) => {
      await tx.hardeningReport.create({ data: { clusterId: cluster.id, scope: "k3s", passed: report.passed, failed: report.failed, notApplicable: report.notApplicable, controls: report.controls as unknown as Prisma.InputJsonValue } });
      await tx.cluster.update({ where: { id: cluster.id }, data: { state: "READY", readyAt: new Date(), kubeconfigEnc: encryptSecret(kubeconfig), apiEndpoint: `https://${apiAddress}:6443`, lastError: null } });
      await recordPortalHeldData({ prisma: tx, teamId: cluster.teamId, resourceKind: "KUBECONFIG", resourceId: cluster.id, resourceName: `kubeconfig of ${cluster.name}`, actor: "cluster.provision" });
    });
    return { state: "READY", passed: report.passed, failed: report.failed, changed: boot.changed };
  } catch (err) {
    if (err instanceof AppError && err.transient) throw err; // the job retries; the cluster stays PROVISIONING
    const message = err instanceof AppError ? err.message : "k3s bootstrap failed unexpectedly (see the portal log)";
    await prisma.cluster.update({ where: { id: cluster.id }, data: { state: "FAILED", lastError: message } });
    throw err;
  }
}
