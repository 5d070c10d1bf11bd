import type { PrismaClient } from "../../generated/prisma/client";
import { guestAddressOf } from "../../network/ipam";
import { buildGuestNetworkConfig } from "../../network/guest-network-config";
import { ROUTED_GATEWAY_V4, ROUTED_GATEWAY_V6 } from "../../network/host-nic";
import { shapeOfRow } from "../../network/pool-record";
import type { PlacedVm } from "../shared/load-vm";
import { isPublicMode, vmMac } from "../shared/vm-nic";
import { loadPrivateNics } from "../shared/private-nics";
import { PRIVATE_MTU } from "../../network/private/private-host-script";

// What the guest configures on its NIC, from the units it holds: on a routed host a /32 and the ::1
// of its /64 with the host as on-link gateway; on a bridged host the segment's prefix and router.

export async function guestNetworkConfigOf(prisma: PrismaClient, vm: PlacedVm): Promise<string | undefined> {
  if (!isPublicMode(vm.host.networkMode)) return undefined;
  const leases = await prisma.ipLease.findMany({ where: { vmId: vm.id }, include: { pool: true } });
  const routed = vm.host.networkMode === "ROUTED";
  const nic: Parameters<typeof buildGuestNetworkConfig>[0][number] = { mac: vmMac(vm), name: "eth0", dns: [] };
  for (const lease of leases) {
    const shape = shapeOfRow(lease.pool);
    const guest = guestAddressOf(shape, lease.address);
    const gateway = routed ? (shape.family === 4 ? ROUTED_GATEWAY_V4 : ROUTED_GATEWAY_V6) : lease.pool.gateway;
    if (!gateway) continue;
    const entry = { address: guest.address, prefixLen: guest.interfacePrefixLen, gateway };
    if (shape.family === 4) nic.ipv4 = entry;
    else nic.ipv6 = entry;
    nic.dns = [...new Set([...(nic.dns ?? []), ...lease.pool.dns])].slice(0, 3);
  }
  // Private NICs: gateway-less, their network's prefix only, MTU inside VXLAN's overhead.
  const privates = (await loadPrivateNics(prisma, vm.id)).map((p) => ({
    mac: p.mac,
    name: `eth${p.slot}`,
    mtu: PRIVATE_MTU,
    ipv4: { address: p.ipv4, prefixLen: Number(p.network.cidr.split("/")[1]) },
    ipv6: p.ipv6 ? { address: p.ipv6, prefixLen: 64 } : null,
  }));
  return buildGuestNetworkConfig([nic, ...privates]);
}
