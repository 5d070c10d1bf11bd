import { stringify } from "yaml";
import { parseIp } from "./ip";

// The guest's static addresses as a cloud-init network-config, matched by the NIC's MAC.
//
// Version 1, not 2: cloud-init 22.4 (Debian 12) renders a v2 route's `on-link` neither for ifupdown
// (it writes net-tools `route add` lines, without on-link, and turns ::/0 into ::/64) nor for
// networkd, so a routed guest's default route via 169.254.0.1 never appears. A v1 subnet's `gateway`
// becomes ifupdown's `gateway`, which ifupdown always adds with `onlink`; networkd writes
// Gateway= for it. Tested on the lab image (tests/integration/network-lab.test.ts).

export interface GuestNicAddressing {
  mac: string;
  /** the interface name the guest gives the NIC */
  name: string;
  /** a private NIC has no gateway: its network is on-link only */
  ipv4?: { address: string; prefixLen: number; gateway?: string | null } | null;
  ipv6?: { address: string; prefixLen: number; gateway?: string | null } | null;
  dns?: readonly string[];
  mtu?: number;
}

export function buildGuestNetworkConfig(nics: readonly GuestNicAddressing[]): string {
  const config = nics.map((nic) => {
    const subnets: Record<string, unknown>[] = [];
    if (nic.ipv4) {
      if (parseIp(nic.ipv4.address)?.family !== 4) throw new Error(`${nic.ipv4.address} is not IPv4`);
      subnets.push({
        type: "static",
        address: `${nic.ipv4.address}/${nic.ipv4.prefixLen}`,
        ...(nic.ipv4.gateway ? { gateway: nic.ipv4.gateway } : {}),
        ...(nic.dns?.length ? { dns_nameservers: [...nic.dns] } : {}),
      });
    }
    if (nic.ipv6) {
      if (parseIp(nic.ipv6.address)?.family !== 6) throw new Error(`${nic.ipv6.address} is not IPv6`);
      subnets.push({
        type: "static6",
        address: `${nic.ipv6.address}/${nic.ipv6.prefixLen}`,
        ...(nic.ipv6.gateway ? { gateway: nic.ipv6.gateway } : {}),
      });
    }
    // A NIC without addresses is still brought up (link-local only) so that it can be addressed later.
    if (subnets.length === 0) subnets.push({ type: "manual", control: "auto" });
    return { type: "physical", name: nic.name, mac_address: nic.mac, ...(nic.mtu ? { mtu: nic.mtu } : {}), subnets };
  });
  return stringify({ version: 1, config }, { lineWidth: 0 });
}
