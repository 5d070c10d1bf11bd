import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { lockPoolDefinitions } from "../network/pool-record";
import { forgetHostSettings } from "./drift-store";
import { loadHost } from "./host-record";
import { describeOwnedPools } from "./owned-pools";

// A host is removed from Skjold only when nothing of a tenant lives there. VMs that were deleted
// keep their rows (history); they are detached from the host, whose storage pools and image copies
// go. Address pools routed to it are not deleted with it: the admin deletes them first, in words.

const LIVE_VM_STATES = ["PENDING", "PROVISIONING", "RUNNING", "STOPPED", "FAILED", "DELETING"] as const;

export async function removeHost(opts: {
  prisma: PrismaClient;
  principal: Principal;
  hostId: string;
  meta?: RequestMeta;
}): Promise<{ removed: string }> {
  requireAdmin(opts.principal);
  const host = await loadHost(opts.prisma, opts.hostId);
  await opts.prisma.$transaction(async (tx) => {
    // Lock the host row so that no placement lands on it while it is being removed.
    await tx.$queryRaw`SELECT id FROM "Host" WHERE id = ${host.id}::uuid FOR UPDATE`;
    const live = await tx.virtualMachine.findMany({
      where: { hostId: host.id, state: { in: [...LIVE_VM_STATES] } },
      select: { name: true, state: true },
      take: 5,
    });
    if (live.length > 0) {
      const count = await tx.virtualMachine.count({ where: { hostId: host.id, state: { in: [...LIVE_VM_STATES] } } });
      const names = live.map((v) => `${v.name} (${v.state.toLowerCase()})`).join(", ");
      throw new AppError(
        "CONFLICT",
        `${host.name} still has ${count} virtual machine${count === 1 ? "" : "s"}: ${names}${count > live.length ? ", …" : ""}. Drain it and move or delete them first.`,
        {
          key: count === 1 ? "error.host.hasVm" : "error.host.hasVms",
          params: { name: host.name, count, names: `${names}${count > live.length ? ", …" : ""}` },
          details: { vms: count },
        },
      );
    }
    await lockPoolDefinitions(tx); // no routed pool is added to it meanwhile
    const owned = await describeOwnedPools(tx, host.id);
    if (owned.count > 0) {
      throw new AppError(
        "CONFLICT",
        `${host.name} still owns ${owned.text}. Delete them under Admin → Networks first (a pool waits until no VM holds its addresses and their quarantine has ended).`,
        { details: { ipPools: owned.count }, key: "error.host.ownsPools", params: { name: host.name, pools: owned.text } },
      );
    }
    await tx.virtualMachine.updateMany({ where: { hostId: host.id }, data: { hostId: null, poolId: null } });
    await tx.host.delete({ where: { id: host.id } });
  });
  await forgetHostSettings({ prisma: opts.prisma, hostId: host.id });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.remove",
    targetType: "host",
    targetId: host.id,
    details: { name: host.name, fingerprint: host.hostKeyFingerprint },
    meta: opts.meta,
  });
  return { removed: host.name };
}
