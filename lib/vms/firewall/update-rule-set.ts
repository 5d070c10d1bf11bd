import { actorOf, recordAudit } from "../../audit/record-audit";
import { requireTeam } from "../../access/team-access";
import type { RequestMeta } from "../../access/principal";
import { fromZod, notFound } from "../../core/errors";
import { FirewallRuleSetInput } from "../../firewall/schemas";
import type { TeamRequest } from "../shared/find-team-vm";
import { isUniqueViolation, nameTaken } from "./create-rule-set";
import { enqueueFirewallJobs, vmsWithRuleSet } from "./enqueue-firewall";
import { ruleSetView, type RuleSetView } from "./rule-set-view";

/** Finds the team's rule set by id; another team's is simply not found. */
export async function findTeamRuleSet(opts: TeamRequest & { ruleSetId: string }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "operate" });
  const row = /^[0-9a-f-]{36}$/i.test(opts.ruleSetId)
    ? await opts.prisma.firewallRuleSet.findUnique({ where: { id: opts.ruleSetId } })
    : null;
  if (!row || row.teamId !== team.id) throw notFound("Rule set not found", { key: "error.firewall.notFound" });
  return { team, row };
}

/**
 * Members: replaces a rule set's name, rules and outbound default (the whole set, as sent). Every VM
 * it is applied to gets a `vm.firewall` job, so running VMs follow within seconds.
 */
export async function updateRuleSet(
  opts: TeamRequest & { ruleSetId: string; input: unknown; meta?: RequestMeta },
): Promise<RuleSetView & { jobIds: string[] }> {
  const { prisma, principal } = opts;
  const { team, row } = await findTeamRuleSet(opts);
  const parsed = FirewallRuleSetInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Firewall rule set");
  const input = parsed.data;
  try {
    return await prisma.$transaction(async (tx) => {
      const updated = await tx.firewallRuleSet.update({
        where: { id: row.id },
        data: { name: input.name, outbound: input.outbound === "deny" ? "DENY" : "ALLOW", rules: input.rules },
      });
      const vms = await vmsWithRuleSet(tx, row.id);
      const jobIds = await enqueueFirewallJobs({ prisma: tx, teamId: team.id, vms });
      await recordAudit({
        prisma: tx,
        ...actorOf(principal),
        action: "firewall.ruleset.update",
        teamId: team.id,
        targetType: "firewall-rule-set",
        targetId: row.id,
        details: { name: updated.name, previousName: row.name, outbound: input.outbound, rules: input.rules, vms: vms.map((v) => v.name) },
        meta: opts.meta,
      });
      return { ...ruleSetView({ ...updated, _count: { vms: vms.length } }), jobIds };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}
