import { effectiveFirewall, type RuleSetForVm } from "../../firewall/effective-firewall";
import { StoredRulesSchema } from "../../firewall/schemas";
import type { Host, PrismaClient, VirtualMachine } from "../../generated/prisma/client";
import type { VmFirewallPolicy, VmFirewallTarget } from "../../network/firewall-nft";
import { isPublicMode, tapOf } from "../shared/vm-nic";

// A VM's firewall as stored (its rule sets, by name) and as its host enforces it.

/** The VM's rule sets, by name, with their rules read back. */
export async function vmRuleSets(prisma: Pick<PrismaClient, "vmFirewallRuleSet">, vmId: string) {
  const rows = await prisma.vmFirewallRuleSet.findMany({
    where: { vmId },
    include: { ruleSet: true },
    orderBy: { ruleSet: { name: "asc" } },
  });
  return rows.map(({ ruleSet: s }) => ({
    id: s.id,
    name: s.name,
    outbound: s.outbound,
    rules: StoredRulesSchema.parse(s.rules),
  })) satisfies (RuleSetForVm & { id: string })[];
}

/** Whether a VM on this host can have a host firewall: only a tap of its own (routed, bridged) can be filtered. */
export const firewallEnforceable = (host: Pick<Host, "networkMode"> | null) => !host || isPublicMode(host.networkMode);

/** Where the host applies the VM's firewall: its tap (and, bridged, its addresses). */
export function vmFirewallTarget(
  vm: Pick<VirtualMachine, "domainName" | "ipAddress" | "ipv6Address">,
  host: Pick<Host, "networkMode" | "guestAccess">,
): VmFirewallTarget {
  return {
    tap: tapOf(vm.domainName),
    mode: host.networkMode === "ROUTED" ? "routed" : "bridged",
    directSsh: host.guestAccess === "DIRECT",
    ipv4: vm.ipAddress,
    ipv6: vm.ipv6Address,
  };
}

/** The VM's effective policy from its stored sets (null: none applied, no host firewall). */
export async function vmFirewallPolicy(
  prisma: Pick<PrismaClient, "vmFirewallRuleSet">,
  vmId: string,
): Promise<{ sets: Awaited<ReturnType<typeof vmRuleSets>>; policy: VmFirewallPolicy | null }> {
  const sets = await vmRuleSets(prisma, vmId);
  return { sets, policy: effectiveFirewall(sets) };
}
