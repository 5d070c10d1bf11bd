import { listOrder } from "../../core/pagination";
import type { PrivateNetwork, Prisma, Region } from "../../generated/prisma/client";

// A private network as pages and the API show it.

export const PRIVATE_NETWORK_ORDER = listOrder<Prisma.PrivateNetworkWhereInput, Prisma.PrivateNetworkOrderByWithRelationInput>(
  "private-networks",
  [
    { field: "name", dir: "asc", kind: "text" },
    { field: "id", dir: "asc", kind: "uuid" },
  ],
);

export interface PrivateNetworkView {
  id: string;
  name: string;
  regionCode: string;
  cidr: string;
  ipv6Prefix: string | null;
  vni: number;
  members: { vmId: string; vmName: string; ipv4: string; ipv6: string | null }[];
  createdAt: Date;
}

export type PrivateNetworkRow = PrivateNetwork & {
  region: Pick<Region, "code">;
  nics?: { vmId: string; ipv4: string; ipv6: string | null; vm: { name: string } }[];
};

export const PRIVATE_NETWORK_INCLUDE = {
  region: { select: { code: true } },
  nics: {
    where: { vm: { state: { not: "DELETED" as const } } },
    select: { vmId: true, ipv4: true, ipv6: true, vm: { select: { name: true } } },
    orderBy: { createdAt: "asc" as const },
  },
};

export function privateNetworkView(n: PrivateNetworkRow): PrivateNetworkView {
  return {
    id: n.id,
    name: n.name,
    regionCode: n.region.code,
    cidr: n.cidr,
    ipv6Prefix: n.ipv6Prefix,
    vni: n.vni,
    members: (n.nics ?? []).map((m) => ({ vmId: m.vmId, vmName: m.vm.name, ipv4: m.ipv4, ipv6: m.ipv6 })),
    createdAt: n.createdAt,
  };
}
