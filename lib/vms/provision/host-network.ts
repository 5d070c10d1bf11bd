import type { StepDefinition } from "../../jobs/define";
import { applyGuestNic, removeGuestNic } from "../../network/guest-nic";
import { applyVmFirewall } from "../firewall/apply-vm-firewall";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { guestNicOf, isPublicMode, tapOf } from "../shared/vm-nic";
import type { ProvisionVmPayload } from "./payload";

// The host side of the VM's public NIC, before the domain exists: Skjold's own tap with the
// guest's routes (routed) or its bridge port (bridged), and the anti-spoofing filter that pins the
// guest to its MAC and addresses, then the VM's firewall (its team's rule sets applied to it), so
// the guest's first packet already meets both. A lab host on user-mode networking has nothing to do here.

export const hostNetworkStep: StepDefinition<ProvisionVmPayload> = {
  key: "host-network",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    if (!isPublicMode(vm.host.networkMode)) return { tap: null, mode: null, firewall: [] };
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
    return { tap: nic.tap, mode: nic.mode, firewall: firewall.sets };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    if (!isPublicMode(vm.host.networkMode)) return;
    await removeGuestNic({
      ...vmHostContext(vm, prisma),
      tap: tapOf(vm.domainName),
      mode: vm.host.networkMode === "ROUTED" ? "routed" : "bridged",
      ipv4: vm.ipAddress,
      ipv6: vm.ipv6Address,
    });
  },
};
