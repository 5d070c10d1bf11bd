import type { Accelerator, PrismaClient } from "../generated/prisma/client";
import type { HostFacts } from "../libvirt/discover";

// Writes what discovery found. Pools that vanished from the host keep their row (images and VMs
// point at them) but get no free space, so placement cannot choose them.

function acceleratorColumn(a: HostFacts["accelerator"]): Accelerator | undefined {
  if (a === "kvm") return "KVM";
  if (a === "tcg") return "TCG";
  return undefined; // not probed this time: keep what is stored
}

export async function saveHostFacts(opts: {
  prisma: PrismaClient;
  hostId: string;
  facts: HostFacts;
  /** what keeps a routed or bridged host from addressing guests (null: ready); undefined: not checked */
  networkProblem?: string | null;
  at?: Date;
}): Promise<void> {
  const { prisma, hostId, facts } = opts;
  const at = opts.at ?? new Date();
  const seen = facts.pools.filter((p) => p.path !== null);
  await prisma.$transaction(async (tx) => {
    await tx.host.update({
      where: { id: hostId },
      data: {
        libvirtVersion: facts.libvirtVersion,
        qemuVersion: facts.qemuVersion,
        cpuCount: facts.cpuCount,
        cpuModel: facts.cpuModel,
        memoryMb: facts.memoryMb,
        accelerator: acceleratorColumn(facts.accelerator),
        status: "ONLINE",
        lastSeenAt: at,
        lastError: null,
        unhealthySince: null,
        ...(opts.networkProblem !== undefined ? { networkProblem: opts.networkProblem, networkCheckedAt: at } : {}),
      },
    });
    for (const p of seen) {
      const usable = p.state === "running";
      const data = {
        path: p.path!,
        capacityBytes: BigInt(p.capacityBytes),
        availableBytes: BigInt(usable ? p.availableBytes : 0),
        isNvme: p.nvme,
        mediaNote: usable ? p.storageNote : `pool is ${p.state}, not usable: ${p.storageNote}`,
      };
      await tx.storagePool.upsert({
        where: { hostId_name: { hostId, name: p.name } },
        update: data,
        create: { hostId, name: p.name, ...data },
      });
    }
    await tx.storagePool.updateMany({
      where: { hostId, name: { notIn: seen.map((p) => p.name) } },
      data: { availableBytes: BigInt(0), mediaNote: `not found on the host at ${at.toISOString()}` },
    });
  });
}
