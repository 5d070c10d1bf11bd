import { StoredRulesSchema } from "../../firewall/schemas";
import type { FirewallRuleSet, Prisma } from "../../generated/prisma/client";
import { listOrder } from "../../core/pagination";

// A rule set as pages and the API show it.

export const RULE_SET_ORDER = listOrder<Prisma.FirewallRuleSetWhereInput, Prisma.FirewallRuleSetOrderByWithRelationInput>(
  "firewall-rule-sets",
  [
    { field: "name", dir: "asc", kind: "text" },
    { field: "id", dir: "asc", kind: "uuid" },
  ],
);

export function ruleSetView(s: FirewallRuleSet & { _count?: { vms: number } }) {
  return {
    id: s.id,
    name: s.name,
    outbound: s.outbound === "DENY" ? ("deny" as const) : ("allow" as const),
    rules: StoredRulesSchema.parse(s.rules),
    vmCount: s._count?.vms ?? 0,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
export type RuleSetView = ReturnType<typeof ruleSetView>;
