import { z } from "zod";
import { AppError, fromZod } from "../../core/errors";
import { env } from "../../core/env";
import { encryptSecret } from "../../core/secrets";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { guestTarget } from "../../vms/verify/verify-vm";
import { hostContext } from "../../hosts/host-target";
import { isTransientError } from "../../jobs/errors";
import { bootstrapK3s, readJoinToken, type K3sShell } from "../../k3s/bootstrap";
import { fetchKubeconfig } from "../../k3s/kubeconfig";
import { diffReports, hardeningReportSchema, summariseControls, type ControlResult, type HardeningReportData } from "../../guest/report";
import { collectAgentEvidence, evaluateAgentControls } from "../../k3s/verify/agent-controls";
import { evaluateK3sControls } from "../../k3s/verify/k3s-controls";
import { collectK3sEvidence } from "../../k3s/verify/k3s-evidence";
import { recordPortalHeldData } from "../../residency/portal-held";
import { teamSigningKeys } from "../shared/team-signing-keys";
import type { SshPool } from "../../ssh/pool";
import { createGuestShell } from "../../ssh/guest-shell";

// The k3s half of a cluster order: the nodes are already provisioned and hardened (roles k3s-server
// and k3s-agent) by the VM pipeline. This installs hardened k3s on the server, joins the agents to
// it with the server's join token, proves the server's controls, and stores the kubeconfig encrypted
// with its residency entry. A failure ends the cluster FAILED with the reason an operator can act on
// (e.g. the missing air-gap artifact), never a faked success. Each piece converges, so a job killed
// half-way re-runs it safely.

export const TENANT_NAMESPACES = ["apps"];

const inputSchema = z.object({
  clusterId: z.string().uuid(),
  artifactsDir: z.string().min(1).optional(),
  readyTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  /** node id → the node's address inside its network (from the firewall step); defaults to the recorded IP or name. */
  addresses: z.record(z.string(), z.string().min(1).max(253)).optional(),
});
export type ClusterK3sOptions = z.input<typeof inputSchema> & { prisma: PrismaClient; pool?: SshPool };

export type BootstrapClusterResult = { state: "READY"; passed: number; failed: number; changed: boolean };

const NODE_SELECT = { id: true, name: true, state: true, adminUser: true, sshHost: true, sshPort: true, ipAddress: true, guestHostKeyFingerprint: true, mgmtKeyEnc: true, clusterRole: true, host: true } as const;

async function loadCluster(opts: ClusterK3sOptions) {
  const parsed = inputSchema.safeParse({ clusterId: opts.clusterId, artifactsDir: opts.artifactsDir, readyTimeoutSeconds: opts.readyTimeoutSeconds, addresses: opts.addresses });
  if (!parsed.success) throw fromZod(parsed.error, "Invalid cluster bootstrap");
  const cluster = await opts.prisma.cluster.findUnique({
    where: { id: parsed.data.clusterId },
    select: { id: true, name: true, teamId: true, k3sVersion: true, installMode: true, state: true, nodes: { where: { clusterRole: { in: ["server", "agent"] }, state: { not: "DELETED" } }, select: NODE_SELECT, orderBy: { name: "asc" } } },
  });
  if (!cluster) throw new AppError("NOT_FOUND", "No such cluster");
  const server = cluster.nodes.find((n) => n.clusterRole === "server");
  if (!server?.host || server.state !== "RUNNING") throw new AppError("CONFLICT", `Cluster ${cluster.name} has no running server node yet`);
  const agents = cluster.nodes.filter((n) => n.clusterRole === "agent");
  const artifactsDir = parsed.data.artifactsDir ?? env().SKJOLD_K3S_ARTIFACTS_DIR;
  const addressOf = (n: (typeof cluster.nodes)[number]) => parsed.data.addresses?.[n.id] ?? n.ipAddress ?? n.name;
  const shellOf = (n: (typeof cluster.nodes)[number]): K3sShell => {
    if (!n.host || n.state !== "RUNNING") throw new AppError("CONFLICT", `Node ${n.name} of cluster ${cluster.name} is not running`);
    const ctx = hostContext(n.host, opts.pool);
    return createGuestShell({ pool: ctx.pool, target: guestTarget({ vm: n, host: n.host, via: ctx.target }), privilege: "sudo", step: `k3s on ${n.name}` });
  };
  const install = () => {
    if (cluster.installMode !== "AIRGAP") return { mode: "online" as const };
    if (!artifactsDir) throw new AppError("CONFLICT", "k3s air-gap artifacts are not configured: set SKJOLD_K3S_ARTIFACTS_DIR to the folder with the release files (see docs/k3s.md)");
    return { mode: "airgap" as const, artifactsDir };
  };
  // Clients (kubeconfig, serving certificate) use the recorded address or the name; agents join the server's node address.
  const apiAddress = server.ipAddress ?? server.name;
  const serverAddress = addressOf(server);
  const serverUrl = `https://${serverAddress.includes(":") ? `[${serverAddress}]` : serverAddress}:6443`;
  return { cluster, server, agents, apiAddress, serverAddress, serverUrl, shellOf, install, readyTimeoutSeconds: parsed.data.readyTimeoutSeconds };
}

/**
 * Runs one piece of the cluster's k3s half; a permanent failure ends the cluster FAILED with its
 * reason (never a deleted cluster), a transient one leaves it PROVISIONING for the job's retry.
 * `secret`, when given, is scrubbed from the message before anything stores it.
 */
export async function failClusterOn<T>(opts: { prisma: PrismaClient; clusterId: string; giveUp?: boolean; secret?: () => string | undefined }, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const secret = opts.secret?.();
    const scrub = (m: string) => (secret ? m.split(secret).join("[join token]") : m);
    if (isTransientError(err) && !opts.giveUp) throw err;
    const message = scrub(err instanceof Error && (err instanceof AppError || isTransientError(err)) ? err.message : "k3s bootstrap failed unexpectedly (see the portal log)");
    if (z.uuid().safeParse(opts.clusterId).success) {
      await opts.prisma.cluster.updateMany({ where: { id: opts.clusterId, state: { notIn: ["DELETED", "DELETING"] } }, data: { state: "FAILED", lastError: message.slice(0, 2_000) } });
    }
    if (secret && err instanceof Error && err.message.includes(secret)) throw new AppError(err instanceof AppError ? err.code : "HOST_COMMAND_FAILED", message);
    throw err;
  }
}

/** Installs or converges hardened k3s on the server node; nothing is stored. */
export async function bootstrapClusterServer(opts: ClusterK3sOptions & { giveUp?: boolean }): Promise<{ changed: boolean }> {
  return failClusterOn({ prisma: opts.prisma, clusterId: opts.clusterId, giveUp: opts.giveUp }, async () => {
    const c = await loadCluster(opts);
    const install = c.install();
    const boot = await bootstrapK3s({ shell: c.shellOf(c.server), privilege: "sudo", version: c.cluster.k3sVersion, install, nodeName: c.server.name, apiAddress: c.apiAddress, tenantNamespaces: TENANT_NAMESPACES, imageSigningKeys: await teamSigningKeys(opts.prisma, c.cluster.teamId), readyTimeoutSeconds: c.readyTimeoutSeconds });
    if (!boot.ready) throw new AppError("TIMEOUT", `k3s on ${c.server.name} did not report ready`);
    return { changed: boot.changed };
  });
}

/**
 * Joins every agent node to the server: the join token is read from the server over SSH and goes
 * only into each agent's install script (on stdin, as the installer's environment). It is never
 * stored, logged or returned, and is scrubbed from any error message.
 */
export async function joinClusterAgents(opts: ClusterK3sOptions & { giveUp?: boolean }): Promise<{ agents: number; changed: string[]; serverUrl: string }> {
  let token: string | undefined;
  return failClusterOn({ prisma: opts.prisma, clusterId: opts.clusterId, giveUp: opts.giveUp, secret: () => token }, async () => {
    const c = await loadCluster(opts);
    const serverUrl = c.serverUrl;
    if (c.agents.length === 0) return { agents: 0, changed: [], serverUrl };
    const install = c.install();
    token = await readJoinToken({ shell: c.shellOf(c.server), privilege: "sudo", server: c.server.name });
    const changed: string[] = [];
    for (const agent of c.agents) {
      const boot = await bootstrapK3s({ shell: c.shellOf(agent), privilege: "sudo", role: "agent", version: c.cluster.k3sVersion, install, nodeName: agent.name, apiAddress: c.serverAddress, join: { serverUrl, token } });
      if (boot.changed) changed.push(agent.name);
    }
    return { agents: c.agents.length, changed, serverUrl };
  });
}

/** Reads the server's and each agent's k3s controls: one k3s report for the whole cluster, server first. */
async function collectClusterReport(c: Awaited<ReturnType<typeof loadCluster>>): Promise<HardeningReportData> {
  const server = evaluateK3sControls({ evidence: await collectK3sEvidence({ shell: c.shellOf(c.server), privilege: "sudo" }), tenantNamespaces: TENANT_NAMESPACES });
  const agentControls: ControlResult[] = [];
  for (const agent of c.agents) {
    agentControls.push(...evaluateAgentControls({ evidence: await collectAgentEvidence({ shell: c.shellOf(agent), privilege: "sudo" }), nodeName: agent.name, serverUrl: c.serverUrl }));
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

async function verifyLoadedCluster(prisma: PrismaClient, c: Awaited<ReturnType<typeof loadCluster>>): Promise<ClusterVerifyResult> {
  if (c.cluster.state !== "READY") throw new AppError("CONFLICT", `Cluster ${c.cluster.name} is ${c.cluster.state.toLowerCase()}: only a ready cluster can be checked`);
  const current = await collectClusterReport(c);
  const last = await prisma.hardeningReport.findFirst({ where: { clusterId: c.cluster.id, scope: "k3s" }, orderBy: { createdAt: "desc" }, select: { controls: true, passed: true, failed: true, notApplicable: true } });
  const previous = last ? hardeningReportSchema.safeParse({ scope: "k3s", ...last }) : null;
  const drift = diffReports({ previous: previous?.success ? previous.data : null, current }).map((d) => d.id);
  await prisma.hardeningReport.create({ data: { clusterId: c.cluster.id, scope: "k3s", passed: current.passed, failed: current.failed, notApplicable: current.notApplicable, controls: current.controls as unknown as Prisma.InputJsonValue, driftFrom: drift.length ? drift.join(",") : null } });
  return { passed: current.passed, failed: current.failed, drift };
}

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
      const won = await tx.cluster.updateMany({ where: { id: c.cluster.id, state: "PROVISIONING" }, data: { state: "READY", readyAt: new Date(), kubeconfigEnc: encryptSecret(kubeconfig), apiEndpoint: `https://${c.apiAddress}:6443`, lastError: null } });
      if (won.count === 0) throw new AppError("CONFLICT", `Cluster ${c.cluster.name} is no longer being provisioned`);
      await tx.hardeningReport.deleteMany({ where: { clusterId: c.cluster.id, scope: "k3s" } });
      await tx.hardeningReport.create({ data: { clusterId: c.cluster.id, scope: "k3s", passed: report.passed, failed: report.failed, notApplicable: report.notApplicable, controls: report.controls as unknown as Prisma.InputJsonValue } });
      const open = await tx.dataLocation.count({ where: { resourceId: c.cluster.id, resourceKind: "KUBECONFIG" } });
      if (open === 0) await recordPortalHeldData({ prisma: tx, teamId: c.cluster.teamId, resourceKind: "KUBECONFIG", resourceId: c.cluster.id, resourceName: `kubeconfig of ${c.cluster.name}`, actor: "cluster.provision" });
    });
    return { passed: report.passed, failed: report.failed };
  });
}

/** Marks the cluster PROVISIONING (first run, or a re-run after FAILED); never revives a deleted cluster. */
export async function resumeCluster(prisma: PrismaClient, clusterId: string): Promise<void> {
  await prisma.cluster.updateMany({ where: { id: clusterId, state: { in: ["PENDING", "FAILED"] } }, data: { state: "PROVISIONING", lastError: null } });
}

/** The whole k3s half in one call: server, agents, proof, READY (the job runs the same pieces as separate steps). */
export async function bootstrapClusterNode(opts: ClusterK3sOptions): Promise<BootstrapClusterResult> {
  await resumeCluster(opts.prisma, opts.clusterId);
  const server = await bootstrapClusterServer(opts);
  const agents = await joinClusterAgents(opts);
  const done = await finishCluster(opts);
  return { state: "READY", ...done, changed: server.changed || agents.changed.length > 0 };
}
