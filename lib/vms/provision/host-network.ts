import type { StepDefinition } from "../../jobs/define";
import { applyGuestNic, removeGuestNic } from "../../network/guest-nic";
import { applyVmFirewall } from "../firewall/apply-vm-firewall";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { guestNicOf, isPublicMode, tapOf } from "../shared/vm-nic";
import { applyPrivateNics, leavePrivateSegments, loadPrivateNics, removePrivateTaps } from "../shared/private-nics";
import type { ProvisionVmPayload } from "./payload";

// The host side of the VM's public NIC, before the domain exists: Skjold's own tap with the
// guest's routes (routed) or its bridge port (bridged), and the anti-spoofing filter that pins the
// guest to its MAC and addresses, then the VM's firewall (its team's rule sets applied to it), so
// the guest's first packet already meets both. A lab host on user-mode networking has nothing to do here.

export const hostNetworkStep: StepDefinition<ProvisionVmPayload> = {
  key: "host-network",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    if (!isPublicMode(vm.host.networkMode)) return { tap: null, mode: null, firewall: [], private: [] };
    const nic = guestNicOf(vm, vm.host);
    await applyGuestNic({ ...vmHostContext(vm, prisma), nic });
    const what =
      nic.mode === "routed"
        ? `${nic.ipv4}/32${nic.ipv6RoutedPrefix ? ` and ${nic.ipv6RoutedPrefix}` : ""} routed to it`
        : `on bridge ${nic.bridge}`;
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "network",
      message: `Tap ${nic.tap} on ${vm.host.name}, ${what}; the host lets it send only from ${nic.mac}, ${[nic.ipv4, nic.ipv6].filter(Boolean).join(" and ")}`,
      key: nic.mode !== "routed" ? "event.networkBridged" : nic.ipv6RoutedPrefix ? "event.networkRoutedV6" : "event.networkRouted",
      params: {
        tap: nic.tap,
        host: vm.host.name,
        ipv4: nic.ipv4,
        ipv6Prefix: nic.ipv6RoutedPrefix,
        bridge: nic.bridge,
        mac: nic.mac,
        addresses: [nic.ipv4, nic.ipv6].filter((a): a is string => Boolean(a)),
      },
    });
    const firewall = await applyVmFirewall({ prisma, vm, skipWhenNone: true });
    // Its private networks: each one's segment on this host and its peers, then the VM's tap on it.
    const nics = await loadPrivateNics(prisma, vm.id);
    const spans = await applyPrivateNics({ prisma, ctx: vmHostContext(vm, prisma), domainName: vm.domainName, nics });
    for (const [i, nic] of nics.entries()) {
      const hosts = spans[i]!.hosts.join(", ");
      await addVmEvent({
        prisma,
        vmId: vm.id,
        kind: "network",
        message: `On private network ${nic.network.name} as ${nic.ipv4} (VNI ${nic.network.vni}, spanning ${hosts})`,
        key: "event.privateNetwork",
        params: { network: nic.network.name, ipv4: nic.ipv4, vni: nic.network.vni, hosts },
      });
    }
    return { tap: nic.tap, mode: nic.mode, firewall: firewall.sets, private: nics.map((n) => n.network.name) };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    if (!isPublicMode(vm.host.networkMode)) return;
    const ctx = vmHostContext(vm, prisma);
    await removePrivateTaps({ ctx, domainName: vm.domainName });
    await leavePrivateSegments({ prisma, ctx, vmId: vm.id, hostId: vm.host.id, nics: await loadPrivateNics(prisma, vm.id) });
    await removeGuestNic({
      ...vmHostContext(vm, prisma),
      tap: tapOf(vm.domainName),
      mode: vm.host.networkMode === "ROUTED" ? "routed" : "bridged",
      ipv4: vm.ipAddress,
      ipv6: vm.ipv6Address,
    });
  },
};
