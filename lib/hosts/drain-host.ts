import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { PrismaClient } from "../generated/prisma/client";
import { loadHost, toPublicHost, type PublicHost } from "./host-record";

interface DrainOptions {
  prisma: PrismaClient;
  principal: Principal;
  hostId: string;
  meta?: RequestMeta;
}

/** Admin: no new placements on this host; what runs there keeps running. */
export async function drainHost(opts: DrainOptions): Promise<PublicHost> {
  return setDraining(opts, true);
}

/** Admin: the host takes new placements again. */
export async function undrainHost(opts: DrainOptions): Promise<PublicHost> {
  return setDraining(opts, false);
}

async function setDraining(opts: DrainOptions, draining: boolean): Promise<PublicHost> {
  requireAdmin(opts.principal);
  const host = await loadHost(opts.prisma, opts.hostId);
  const updated = await opts.prisma.host.update({ where: { id: host.id }, data: { draining } });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: draining ? "host.drain" : "host.undrain",
    targetType: "host",
    targetId: host.id,
    details: { name: host.name },
    meta: opts.meta,
  });
  return toPublicHost(updated);
}
