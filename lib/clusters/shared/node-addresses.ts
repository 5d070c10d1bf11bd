import { z } from "zod";
import { AppError } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { runRootScript } from "../../guest/shell";
import { sharedSshPool } from "../../hosts/host-target";
import type { SshGuestShell } from "../../ssh/guest-shell";
import type { SshPool } from "../../ssh/pool";
import { loadVm, requirePlaced, type LoadedVm } from "../../vms/shared/load-vm";
import { vmGuestShell } from "../../vms/shared/vm-guest-shell";

// Where each node is inside its network: what agents join and what the k3s firewall allows.

const addressSchema = z.union([z.ipv4(), z.ipv6()]);

/**
 * The node's address inside its network: the recorded one (bridged hosts) or the source address of
 * the guest's default route, read over SSH. It is what the other nodes see as its source.
 */
async function nodeAddress(vm: LoadedVm, shell: SshGuestShell): Promise<string> {
  if (vm.ipAddress) return vm.ipAddress;
  const script =
    "a=$(ip -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \\([0-9a-f.:]*\\).*/\\1/p' | head -n 1)\n[ -n \"$a\" ] || a=$(hostname -I | cut -d' ' -f1)\necho \"$a\"\n";
  const { stdout } = await runRootScript({ shell, privilege: "sudo", script, what: `Reading the address of ${vm.name}` });
  const parsed = addressSchema.safeParse(stdout.trim());
  if (!parsed.success)
    throw new AppError("HOST_COMMAND_FAILED", `Node ${vm.name} reported no usable address (${JSON.stringify(stdout.trim().slice(0, 60))})`);
  return parsed.data;
}

export async function readNodeAddresses(opts: { prisma: PrismaClient; nodes: { id: string }[]; pool?: SshPool }) {
  const pool = opts.pool ?? sharedSshPool();
  const loaded = await Promise.all(opts.nodes.map(async (n) => requirePlaced(await loadVm(opts.prisma, n.id))));
  const shells = new Map(loaded.map((vm) => [vm.id, vmGuestShell({ vm, pool, step: `k3s firewall on ${vm.name}` })]));
  const addresses: Record<string, string> = {};
  for (const vm of loaded) addresses[vm.id] = await nodeAddress(vm, shells.get(vm.id)!);
  return { pool, loaded, shells, addresses };
}

/** node id → the address the node has inside its network, read over SSH (what agents join and the firewall allows). */
export async function readClusterAddresses(opts: {
  prisma: PrismaClient;
  nodes: { id: string }[];
  pool?: SshPool;
}): Promise<Record<string, string>> {
  return (await readNodeAddresses(opts)).addresses;
}
