import { z } from "zod";
import { AppError, fromZod } from "../../core/errors";
import { env } from "../../core/env";
import type { PrismaClient } from "../../generated/prisma/client";
import { hostContext } from "../../hosts/host-target";
import type { K3sShell } from "../../k3s/bootstrap";
import { createGuestShell } from "../../ssh/guest-shell";
import type { SshPool } from "../../ssh/pool";
import { guestTargetThrough } from "../../vms/shared/guest-target";

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

const NODE_SELECT = {
  id: true,
  name: true,
  state: true,
  adminUser: true,
  sshHost: true,
  sshPort: true,
  ipAddress: true,
  guestHostKeyFingerprint: true,
  mgmtKeyEnc: true,
  clusterRole: true,
  host: true,
} as const;

export async function loadCluster(opts: ClusterK3sOptions) {
  const parsed = inputSchema.safeParse({
    clusterId: opts.clusterId,
    artifactsDir: opts.artifactsDir,
    readyTimeoutSeconds: opts.readyTimeoutSeconds,
    addresses: opts.addresses,
  });
  if (!parsed.success) throw fromZod(parsed.error, "Invalid cluster bootstrap");
  const cluster = await opts.prisma.cluster.findUnique({
    where: { id: parsed.data.clusterId },
    select: {
      id: true,
      name: true,
      teamId: true,
      k3sVersion: true,
      installMode: true,
      state: true,
      nodes: {
        where: { clusterRole: { in: ["server", "agent"] }, state: { not: "DELETED" } },
        select: NODE_SELECT,
        orderBy: { name: "asc" },
      },
    },
  });
  if (!cluster) throw new AppError("NOT_FOUND", "No such cluster", { key: "error.cluster.noSuchCluster" });
  const server = cluster.nodes.find((n) => n.clusterRole === "server");
  if (!server?.host || server.state !== "RUNNING")
    throw new AppError("CONFLICT", `Cluster ${cluster.name} has no running server node yet`, {
      key: "error.cluster.noServerYet",
      params: { name: cluster.name },
    });
  const agents = cluster.nodes.filter((n) => n.clusterRole === "agent");
  const artifactsDir = parsed.data.artifactsDir ?? env().SKJOLD_K3S_ARTIFACTS_DIR;
  const addressOf = (n: (typeof cluster.nodes)[number]) => parsed.data.addresses?.[n.id] ?? n.ipAddress ?? n.name;
  const shellOf = (n: (typeof cluster.nodes)[number]): K3sShell => {
    if (!n.host || n.state !== "RUNNING") throw new AppError("CONFLICT", `Node ${n.name} of cluster ${cluster.name} is not running`);
    const ctx = hostContext(n.host, opts.pool);
    return createGuestShell({
      pool: ctx.pool,
      target: guestTargetThrough({ vm: n, host: n.host, via: ctx.target }),
      privilege: "sudo",
      step: `k3s on ${n.name}`,
    });
  };
  const install = () => {
    if (cluster.installMode !== "AIRGAP") return { mode: "online" as const };
    if (!artifactsDir)
      throw new AppError(
        "CONFLICT",
        "k3s air-gap artifacts are not configured: set SKJOLD_K3S_ARTIFACTS_DIR to the folder with the release files (see docs/k3s.md)",
      );
    return { mode: "airgap" as const, artifactsDir };
  };
  // Clients (kubeconfig, serving certificate) use the recorded address or the name; agents join the server's node address.
  const apiAddress = server.ipAddress ?? server.name;
  const serverAddress = addressOf(server);
  const serverUrl = `https://${serverAddress.includes(":") ? `[${serverAddress}]` : serverAddress}:6443`;
  return {
    cluster,
    server,
    agents,
    apiAddress,
    serverAddress,
    serverUrl,
    shellOf,
    install,
    readyTimeoutSeconds: parsed.data.readyTimeoutSeconds,
  };
}

export type LoadedCluster = Awaited<ReturnType<typeof loadCluster>>;
