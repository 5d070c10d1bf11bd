import type { PrismaClient } from "../../generated/prisma/client";
import { applyGuestFirewall } from "../../network/guest-nic";
import { type PlacedVm, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { isPublicMode } from "../shared/vm-nic";
import { vmFirewallPolicy, vmFirewallTarget } from "./vm-firewall-policy";

/**
 * Puts the VM's stored firewall on its host (one SSH exec, one nft batch), or takes it away when no
 * rule set is applied, and tells the VM's timeline. Reads the sets at the moment it runs, so the last
 * run wins whatever order changes came in. Nothing to do on a lab-trial host (no tap of its own), nor
 * (`skipWhenNone`, provisioning) for a VM without rule sets.
 */
export async function applyVmFirewall(opts: { prisma: PrismaClient; vm: PlacedVm; skipWhenNone?: boolean }) {
  const { prisma, vm } = opts;
  if (!isPublicMode(vm.host.networkMode)) return { enforced: false, sets: [] as string[], outbound: null, rules: 0 };
  const { sets, policy } = await vmFirewallPolicy(prisma, vm.id);
  // A VM being provisioned without rule sets has no firewall on its host to take away.
  if (!policy && opts.skipWhenNone) return { enforced: true, sets: [] as string[], outbound: null, rules: 0 };
  const guest = vmFirewallTarget(vm, vm.host);
  await applyGuestFirewall({ ...vmHostContext(vm, prisma), guest, policy });
  const names = sets.map((s) => s.name);
  if (policy) {
    const rules = policy.inbound.length;
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "firewall",
      message: `Firewall on ${vm.host.name}: ${rules} inbound rule(s) from ${names.join(", ")}; outbound ${policy.outbound}`,
      key: policy.outbound === "deny" ? "event.firewallAppliedDeny" : "event.firewallApplied",
      params: { host: vm.host.name, rules, sets: names.join(", ") },
    });
  } else {
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "firewall",
      message: `Firewall removed on ${vm.host.name}: no rule set applied`,
      key: "event.firewallRemoved",
      params: { host: vm.host.name },
    });
  }
  return { enforced: true, sets: names, outbound: policy?.outbound ?? null, rules: policy?.inbound.length ?? 0 };
}
