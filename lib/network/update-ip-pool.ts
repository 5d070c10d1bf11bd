import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { parseIp } from "./ip";
import { isUnitOf } from "./ipam";
import { FIXED_POOL_FIELDS, UpdateIpPoolInput } from "./pool-input";
import { familyOf, kindOf, lockPool, poolNotFound, poolRefusal, POOL_VIEW_INCLUDE, viewIpPool, type IpPoolView } from "./pool-record";
import { checkPoolShape, shapeOf, type CheckedPool, type PoolProblem } from "./pool-rules";

/**
 * Admin: changes a pool's name, gateway, range, reserved addresses or resolvers. The pool's row is
 * locked, so no allocation runs meanwhile; a change that would leave an address a VM holds outside
 * what the pool hands out is refused (release that VM's address first).
 */
export async function updateIpPool(opts: {
  prisma: PrismaClient;
  principal: Principal;
  id: string;
  input: unknown;
  meta?: RequestMeta;
}): Promise<IpPoolView> {
  requireAdmin(opts.principal);
  const fixed = FIXED_POOL_FIELDS.filter((f) => typeof opts.input === "object" && opts.input !== null && f in opts.input);
  if (fixed.length) throw poolRefusal(fixed.map((field) => ({ field, message: "cannot change; add a new pool and delete this one" })));
  const parsed = UpdateIpPoolInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Pool");
  const input = parsed.data;

  return opts.prisma.$transaction(async (tx) => {
    if (!(await lockPool(tx, opts.id))) throw poolNotFound();
    const current = await tx.ipPool.findUniqueOrThrow({ where: { id: opts.id }, include: { ...POOL_VIEW_INCLUDE, region: true } });
    const checked = checkPoolShape({
      family: familyOf(current.family),
      kind: kindOf(current),
      cidr: current.cidr,
      gateway: input.gateway !== undefined ? input.gateway : current.gateway,
      rangeStart: input.rangeStart !== undefined ? input.rangeStart : current.rangeStart,
      rangeEnd: input.rangeEnd !== undefined ? input.rangeEnd : current.rangeEnd,
      reserved: input.reserved ?? current.reserved,
      dns: input.dns ?? current.dns,
    });
    if (!checked.ok) throw poolRefusal(checked.problems);
    const next = checked.pool;
    const held = await tx.ipLease.findMany({
      where: { poolId: current.id, vmId: { not: null } },
      select: { address: true, vm: { select: { name: true, team: { select: { slug: true } } } } },
    });
    const orphaned = held.filter((l) => !isUnitOf(shapeOf(next), l.address));
    if (orphaned.length)
      throw poolRefusal(
        orphaned.slice(0, 5).map((l) => orphanProblem(next, l.address, l.vm ? `${l.vm.name} (team ${l.vm.team?.slug ?? "none"})` : "a VM")),
      );
    if (
      input.name &&
      input.name !== current.name &&
      (await tx.ipPool.findUnique({ where: { regionId_name: { regionId: current.regionId, name: input.name } } }))
    ) {
      throw new AppError(
        "CONFLICT",
        `Pool: name: a pool named ${input.name} already exists in ${current.region.name} (${current.region.code})`,
        {
          details: [{ path: "name", message: "taken" }],
          key: "error.pool.nameTaken",
          params: { name: input.name, region: current.region.name, regionCode: current.region.code },
        },
      );
    }
    const data = {
      name: input.name ?? current.name,
      gateway: next.gateway,
      rangeStart: next.rangeStart,
      rangeEnd: next.rangeEnd,
      reserved: [...next.reserved],
      dns: [...next.dns],
    };
    const pool = await tx.ipPool.update({ where: { id: current.id }, data, include: POOL_VIEW_INCLUDE });
    const before = {
      name: current.name,
      gateway: current.gateway,
      rangeStart: current.rangeStart,
      rangeEnd: current.rangeEnd,
      reserved: current.reserved,
      dns: current.dns,
    };
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "ip-pool.update",
      targetType: "ip-pool",
      targetId: pool.id,
      details: { cidr: pool.cidr, before, after: data },
      meta: opts.meta,
    });
    return viewIpPool(pool);
  });
}

/** Which field of the change leaves a held address out. */
function orphanProblem(next: CheckedPool, address: string, holder: string): PoolProblem {
  const message = `${address} is held by ${holder}; release it before taking it out of the pool`;
  const unitWithout = (over: Partial<CheckedPool>) => isUnitOf(shapeOf({ ...next, ...over }), address);
  if (unitWithout({ reserved: [] })) return { field: "reserved", message };
  if (unitWithout({ reserved: [], gateway: null })) return { field: "gateway", message };
  const below = next.rangeStart !== null && parseIp(address)!.value < parseIp(next.rangeStart)!.value;
  return { field: below ? "rangeStart" : "rangeEnd", message };
}
