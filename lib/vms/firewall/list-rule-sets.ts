import { requireTeam } from "../../access/team-access";
import { findPage, type Page, type PageRequest } from "../../core/pagination";
import type { TeamRequest } from "../shared/find-team-vm";
import { RULE_SET_ORDER, ruleSetView, type RuleSetView } from "./rule-set-view";

/** One page of the team's firewall rule sets, by name, each with how many VMs it is applied to. */
export async function listRuleSets(opts: TeamRequest & { page: PageRequest }): Promise<Page<RuleSetView>> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const page = await findPage({
    order: RULE_SET_ORDER,
    page: opts.page,
    where: { teamId: team.id },
    find: (query) =>
      opts.prisma.firewallRuleSet.findMany({
        ...query,
        include: { _count: { select: { vms: { where: { vm: { state: { not: "DELETED" } } } } } } },
      }),
  });
  return { ...page, items: page.items.map(ruleSetView) };
}
