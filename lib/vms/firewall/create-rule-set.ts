import { actorOf, recordAudit } from "../../audit/record-audit";
import { requireTeam } from "../../access/team-access";
import type { RequestMeta } from "../../access/principal";
import { AppError, fromZod } from "../../core/errors";
import { FirewallRuleSetInput } from "../../firewall/schemas";
import type { TeamRequest } from "../shared/find-team-vm";
import { ruleSetView, type RuleSetView } from "./rule-set-view";

export const isUniqueViolation = (err: unknown) => typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";

export const nameTaken = (name: string) =>
  new AppError("CONFLICT", `The team already has a rule set named ${name}`, {
    key: "error.firewall.nameTaken",
    params: { name },
    details: [{ path: "name", message: "taken" }],
  });

/** Members: a new firewall rule set for the team (applied to no VM yet). */
export async function createRuleSet(opts: TeamRequest & { input: unknown; meta?: RequestMeta }): Promise<RuleSetView> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const parsed = FirewallRuleSetInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Firewall rule set");
  const input = parsed.data;
  try {
    return await prisma.$transaction(async (tx) => {
      const row = await tx.firewallRuleSet.create({
        data: { teamId: team.id, name: input.name, outbound: input.outbound === "deny" ? "DENY" : "ALLOW", rules: input.rules },
      });
      await recordAudit({
        prisma: tx,
        ...actorOf(principal),
        action: "firewall.ruleset.create",
        teamId: team.id,
        targetType: "firewall-rule-set",
        targetId: row.id,
        details: { name: row.name, outbound: input.outbound, rules: input.rules },
        meta: opts.meta,
      });
      return ruleSetView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}
