import { FirewallRuleSetInput } from "@/lib/firewall/schemas";
import { deleteRuleSet } from "@/lib/vms/firewall/delete-rule-set";
import { updateRuleSet } from "@/lib/vms/firewall/update-rule-set";
import { apiRoute } from "@/app/_server/api";

/** Members: replaces the set (name, rules, outbound); every VM that has it is updated by a vm.firewall job. */
export const PUT = apiRoute(
  { team: "operate", body: FirewallRuleSetInput },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) =>
    updateRuleSet({ prisma, principal, teamSlug: slug, ruleSetId: id, input: body, meta }),
);

export const DELETE = apiRoute({ team: "operate" }, async ({ prisma, principal, meta }, { slug, id }: { slug: string; id: string }) =>
  deleteRuleSet({ prisma, principal, teamSlug: slug, ruleSetId: id, meta }),
);
