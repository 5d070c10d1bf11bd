import type { FirewallRuleInput, VmFirewallPolicy } from "../network/firewall-nft";
import type { FirewallRule } from "./schemas";

// What a VM's rule sets add up to (issue 14). The model: a VM has zero or more of its team's rule
// sets. None: no host firewall (everything the guest's own nftables allows reaches it, as before).
// One or more: inbound is default-deny and every set's rules add up (a rule of any set lets its
// traffic in, as security groups do); outbound is denied when any set denies it, so a set that
// opens a port can never undo another set's "this VM does not talk out".

export interface RuleSetForVm {
  name: string;
  outbound: "ALLOW" | "DENY";
  rules: FirewallRule[];
}

/** A stored rule as the nft builder wants it: a single port is a range of one. */
export function ruleForHost(rule: FirewallRule): FirewallRuleInput {
  if (rule.protocol === "icmp") return { protocol: "icmp", fromPort: null, toPort: null, sources: rule.sources };
  return { protocol: rule.protocol, fromPort: rule.fromPort ?? null, toPort: rule.toPort ?? rule.fromPort ?? null, sources: rule.sources };
}

/** The policy the host enforces for a VM with these sets; null when it has none (no host firewall). */
export function effectiveFirewall(sets: RuleSetForVm[]): VmFirewallPolicy | null {
  if (!sets.length) return null;
  return {
    inbound: sets.flatMap((s) => s.rules.map(ruleForHost)),
    outbound: sets.some((s) => s.outbound === "DENY") ? "deny" : "allow",
  };
}
