import type { Principal, RequestMeta } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import { createIpPool } from "../network/create-ip-pool";
import type { LabHostFacts } from "./lab-facts";

/** Pure: the pools an admin would define for the network lab's hosts (tests onboard the lab with them too). */
export function labAddressPools(hosts: readonly Pick<LabHostFacts, "name" | "networkMode" | "ipv4" | "ipv6">[]): Record<string, unknown>[] {
  const pools: Record<string, unknown>[] = [];
  for (const h of hosts) {
    if (!h.ipv4 || !h.ipv6) continue;
    if (h.networkMode === "ROUTED") {
      // Routed to the host by the lab's upstream: the whole prefix is the host's to hand out.
      pools.push({ name: `${h.name}-v4`, family: "IPV4", kind: "routed", hostName: h.name, cidr: h.ipv4.cidr });
      pools.push({ name: `${h.name}-v6`, family: "IPV6", kind: "routed", hostName: h.name, cidr: h.ipv6.cidr });
    } else if (h.networkMode === "BRIDGED" && !pools.some((p) => p.name === "segment-v4")) {
      // The bridged segment is shared with the upstream router and the hosts: hand out a range only.
      const v4 = h.ipv4.cidr.replace(/\.\d+\/\d+$/, "");
      const v6 = h.ipv6.cidr.replace(/::\/64$/, "");
      pools.push({
        name: "segment-v4",
        family: "IPV4",
        kind: "segment",
        cidr: h.ipv4.cidr,
        gateway: h.ipv4.gateway,
        rangeStart: `${v4}.200`,
        rangeEnd: `${v4}.222`,
      });
      pools.push({
        name: "segment-v6",
        family: "IPV6",
        kind: "segment",
        cidr: h.ipv6.cidr,
        gateway: h.ipv6.gateway,
        rangeStart: `${v6}::1000`,
        rangeEnd: `${v6}::1fff`,
      });
    }
  }
  return pools;
}

/**
 * Creates the network lab's address pools in the region, through the admin's own `createIpPool` (so
 * every pool rule holds). A pool whose name or prefix is already defined is left as the admin keeps it.
 */
export async function createLabAddressPools(opts: {
  prisma: PrismaClient;
  principal: Principal;
  regionCode: string;
  hosts: readonly LabHostFacts[];
  dns: string[];
  meta?: RequestMeta;
}): Promise<string[]> {
  const region = await opts.prisma.region.findUniqueOrThrow({ where: { code: opts.regionCode } });
  const created: string[] = [];
  for (const pool of labAddressPools(opts.hosts)) {
    const name = String(pool.name);
    const cidr = String(pool.cidr);
    const existing = await opts.prisma.ipPool.findFirst({ where: { OR: [{ regionId: region.id, name }, { cidr }] } });
    if (existing) continue;
    await createIpPool({
      prisma: opts.prisma,
      principal: opts.principal,
      meta: opts.meta,
      input: { regionCode: region.code, dns: opts.dns, ...pool },
    });
    created.push(`${name} ${cidr}`);
  }
  return created;
}
