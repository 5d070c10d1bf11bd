import { z } from "zod";
import { AppError } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { hardenGuest } from "../../guest/harden-guest";
import { runRootScript } from "../../guest/shell";
import { verifyVm } from "../../vms/verify/verify-vm";
import { sharedSshPool } from "../../hosts/host-target";
import { hardeningInputOf } from "../../vms/provision/harden";
import type { SshGuestShell } from "../../ssh/guest-shell";
import type { SshPool } from "../../ssh/pool";
import { loadVm, requirePlaced } from "../../vms/shared/load-vm";
import { vmGuestShell } from "../../vms/shared/vm-guest-shell";

// A cluster's nodes as the cluster job sees them: every node must be RUNNING (provisioned and
// hardened by its own "vm.provision" job) before k3s goes on; then each node's firewall is
// re-applied so that the k3s ports are open only between the cluster's node addresses.

export type ClusterNode = { id: string; name: string; role: "server" | "agent" };

const ROLES = ["server", "agent"] as const;

/** The cluster's live nodes, server first (DELETED nodes are history, not nodes). */
export async function listClusterNodes(prisma: PrismaClient, clusterId: string) {
  const rows = await prisma.virtualMachine.findMany({
    where: { clusterId, clusterRole: { in: [...ROLES] }, state: { not: "DELETED" } },
    select: { id: true, name: true, state: true, lastError: true, clusterRole: true },
    orderBy: { name: "asc" },
  });
  return rows.sort((a, b) => Number(a.clusterRole === "agent") - Number(b.clusterRole === "agent"));
}

/**
 * Returns the nodes once all are RUNNING; throws a transient BUSY AppError while any is still coming up, and
 * an AppError naming the first node that failed (the caller ends the cluster FAILED with it).
 */
export async function awaitClusterNodes(prisma: PrismaClient, clusterId: string): Promise<ClusterNode[]> {
  const nodes = await listClusterNodes(prisma, clusterId);
  if (!nodes.some((n) => n.clusterRole === "server")) throw new AppError("NOT_FOUND", "The cluster has no server node");
  const label = (n: (typeof nodes)[number]) => `${n.clusterRole === "server" ? "server" : "agent"} node ${n.name}`;
  const broken = nodes.find((n) => n.state !== "RUNNING" && n.state !== "PENDING" && n.state !== "PROVISIONING");
  if (broken) throw new AppError("CONFLICT", `The ${label(broken)} is ${broken.state.toLowerCase()}${broken.lastError ? `: ${broken.lastError}` : ""}`);
  const waiting = nodes.filter((n) => n.state !== "RUNNING");
  if (waiting.length) throw new AppError("BUSY", `waiting for ${waiting.map((n) => `${label(n)} (${n.state.toLowerCase()})`).join(", ")}`, { transient: true });
  return nodes.map((n) => ({ id: n.id, name: n.name, role: n.clusterRole === "server" ? "server" : "agent" }));
}

const addressSchema = z.union([z.ipv4(), z.ipv6()]);

/**
 * The node's address inside its network: the recorded one (bridged hosts) or the source address of
 * the guest's default route, read over SSH. It is what the other nodes see as its source.
 */
async function nodeAddress(vm: Awaited<ReturnType<typeof loadVm>>, shell: SshGuestShell): Promise<string> {
  if (vm.ipAddress) return vm.ipAddress;
  const script = "a=$(ip -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \\([0-9a-f.:]*\\).*/\\1/p' | head -n 1)\n[ -n \"$a\" ] || a=$(hostname -I | cut -d' ' -f1)\necho \"$a\"\n";
  const { stdout } = await runRootScript({ shell, privilege: "sudo", script, what: `Reading the address of ${vm.name}` });
  const parsed = addressSchema.safeParse(stdout.trim());
  if (!parsed.success) throw new AppError("HOST_COMMAND_FAILED", `Node ${vm.name} reported no usable address (${JSON.stringify(stdout.trim().slice(0, 60))})`);
  return parsed.data;
}

async function readNodeAddresses(opts: { prisma: PrismaClient; nodes: { id: string }[]; pool?: SshPool }) {
  const pool = opts.pool ?? sharedSshPool();
  const loaded = await Promise.all(opts.nodes.map(async (n) => requirePlaced(await loadVm(opts.prisma, n.id))));
  const shells = new Map(loaded.map((vm) => [vm.id, vmGuestShell({ vm, pool, step: `k3s firewall on ${vm.name}` })]));
  const addresses: Record<string, string> = {};
  for (const vm of loaded) addresses[vm.id] = await nodeAddress(vm, shells.get(vm.id)!);
  return { pool, loaded, shells, addresses };
}

/** node id → the address the node has inside its network, read over SSH (what agents join and the firewall allows). */
export async function readClusterAddresses(opts: { prisma: PrismaClient; nodes: { id: string }[]; pool?: SshPool }): Promise<Record<string, string>> {
  return (await readNodeAddresses(opts)).addresses;
}

const asCidr = (a: string) => (a.includes(":") ? `${a}/128` : `${a}/32`);

/**
 * Re-applies each node's hardening with `k3sNodeCidrs` = every node's address (and the API open to
 * `apiAllowFrom` too on the server), then re-verifies it
 * (a guest hardening report per node, with drift against the last one). Idempotent: the hardening
 * script converges and reloads the firewall only when its file changed.
 */
export async function applyClusterFirewall(opts: {
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
