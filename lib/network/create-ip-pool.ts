import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { AppError, fromZod } from "../core/errors";
import type { Host, Prisma, PrismaClient, Region } from "../generated/prisma/client";
import { formatPrefix, parsePrefix, prefixesOverlap, type IpPrefix } from "./ip";
import { CreateIpPoolInput } from "./pool-input";
import { lockPoolDefinitions, poolRefusal, POOL_VIEW_INCLUDE, viewIpPool, type IpPoolView } from "./pool-record";
import { checkPoolShape } from "./pool-rules";

const MODE_WORDS: Record<Host["networkMode"], string> = {
  USER_FORWARD: "a lab host on user-mode networking",
  BRIDGED: "a bridged host (its guests use the region's segment pools)",
  ROUTED: "a routed host",
};

/**
 * Admin: adds an address pool to a region. A routed pool belongs to the one routed host the provider
 * routes its prefix to; a segment pool is shared by the region's bridged hosts. Nothing is stored
 * unless every rule holds, and no two pools anywhere overlap.
 */
export async function createIpPool(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
}): Promise<IpPoolView> {
  requireAdmin(opts.principal);
  const parsed = CreateIpPoolInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Pool");
  const input = parsed.data;
  const checked = checkPoolShape({ ...input, family: input.family === "IPV4" ? 4 : 6 });
  if (!checked.ok) throw poolRefusal(checked.problems);
  const shape = checked.pool;

  return opts.prisma.$transaction(async (tx) => {
    await lockPoolDefinitions(tx);
    const region = await tx.region.findUnique({ where: { code: input.regionCode } });
    if (!region) throw poolRefusal([{ field: "regionCode", message: `there is no region ${input.regionCode}` }]);
    const host = input.hostName ? await routedHostIn(tx, input.hostName, region) : null;
    await refuseOverlap(tx, shape.prefix);
    if (await tx.ipPool.findUnique({ where: { regionId_name: { regionId: region.id, name: input.name } } })) {
      throw new AppError("CONFLICT", `Pool: name: a pool named ${input.name} already exists in ${region.name} (${region.code})`, {
        details: [{ path: "name", message: "taken" }],
        key: "error.pool.nameTaken",
        params: { name: input.name, region: region.name, regionCode: region.code },
      });
    }
    const pool = await tx.ipPool.create({
      data: {
        name: input.name,
        regionId: region.id,
        hostId: host?.id ?? null,
        family: input.family,
        cidr: shape.cidr,
        gateway: shape.gateway,
        rangeStart: shape.rangeStart,
        rangeEnd: shape.rangeEnd,
        reserved: [...shape.reserved],
        dns: [...shape.dns],
      },
      include: POOL_VIEW_INCLUDE,
    });
    const view = viewIpPool(pool);
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "ip-pool.create",
      targetType: "ip-pool",
      targetId: pool.id,
      details: {
        name: view.name,
        region: region.code,
        kind: view.kind,
        host: host?.name ?? null,
        cidr: view.cidr,
        gateway: view.gateway,
        rangeStart: view.rangeStart,
        rangeEnd: view.rangeEnd,
        reserved: view.reserved,
        dns: view.dns,
      },
      meta: opts.meta,
    });
    return view;
  });
}

/** The host a routed pool is routed to: it must exist, be in the pool's region, and route its guests. */
async function routedHostIn(tx: Prisma.TransactionClient, name: string, region: Region): Promise<Host> {
  const host = await tx.host.findUnique({ where: { name }, include: { region: true } });
  const refuse = (message: string) => poolRefusal([{ field: "hostName", message }]);
  if (!host) throw refuse(`there is no host named ${name}`);
  if (host.regionId !== region.id)
    throw refuse(`${name} is in ${host.region.name} (${host.region.code}), not in ${region.name} (${region.code})`);
  if (host.networkMode !== "ROUTED") throw refuse(`${name} is ${MODE_WORDS[host.networkMode]}; a routed pool belongs to a routed host`);
  return host;
}

/** No two pools overlap, in any region: an address has one owner and one history. */
async function refuseOverlap(tx: Prisma.TransactionClient, prefix: IpPrefix): Promise<void> {
  const pools = await tx.ipPool.findMany({ select: { name: true, cidr: true, region: { select: { name: true, code: true } } } });
  for (const other of pools) {
    const p = parsePrefix(other.cidr);
    if (p.ok && prefixesOverlap(prefix, p.prefix)) {
      throw poolRefusal([
        {
          field: "cidr",
          message: `${formatPrefix(prefix)} overlaps pool ${other.name} (${other.cidr}) in ${other.region.name} (${other.region.code})`,
        },
      ]);
    }
  }
}
