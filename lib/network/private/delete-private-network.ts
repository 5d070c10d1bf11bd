import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";

/**
 * Members: deletes a private network no live VM is on; otherwise the refusal names the VMs. The
 * network's row is locked first, so an order joining it at the same moment either comes first (and
 * the delete is refused) or finds the network gone.
 */
export async function deletePrivateNetwork(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  networkId: string;
  meta?: RequestMeta;
}): Promise<{ deleted: true }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const id = /^[0-9a-f-]{36}$/i.test(opts.networkId) ? opts.networkId : null;
  await prisma.$transaction(async (tx) => {
    const [locked] = id ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PrivateNetwork" WHERE id = ${id}::uuid FOR UPDATE` : [];
    const row = locked
      ? await tx.privateNetwork.findUnique({ where: { id: locked.id }, include: { region: { select: { code: true } } } })
      : null;
    if (!row || row.teamId !== team.id) throw notFound("Private network not found", { key: "error.privateNetwork.notFound" });
    const users = await tx.privateNic.findMany({
      where: { networkId: row.id, vm: { state: { not: "DELETED" } } },
      select: { vm: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
    });
    if (users.length) {
      const vms = users.map((u) => u.vm.name).join(", ");
      throw new AppError("CONFLICT", `Private network ${row.name} is in use by ${vms}; delete them or take them off it first`, {
        key: "error.privateNetwork.inUse",
        params: { name: row.name, vms },
      });
    }
    // Deleted VMs' NICs are history only; they do not hold the network.
    await tx.privateNic.deleteMany({ where: { networkId: row.id } });
    await tx.privateNetwork.delete({ where: { id: row.id } });
    await recordAudit({
      prisma: tx,
      ...actorOf(principal),
      action: "private-network.delete",
      teamId: team.id,
      targetType: "private-network",
      targetId: row.id,
      details: { name: row.name, region: row.region.code, cidr: row.cidr, vni: row.vni },
      meta: opts.meta,
    });
  });
  return { deleted: true };
}
