import { actorOf, recordAudit } from "../../audit/record-audit";
import type { RequestMeta } from "../../access/principal";
import { AppError } from "../../core/errors";
import type { TeamRequest } from "../shared/find-team-vm";
import { vmsWithRuleSet } from "./enqueue-firewall";
import { findTeamRuleSet } from "./update-rule-set";

/** Members: deletes a rule set that no live VM has; otherwise the refusal names the VMs to take it off first. */
export async function deleteRuleSet(opts: TeamRequest & { ruleSetId: string; meta?: RequestMeta }): Promise<{ deleted: true }> {
  const { prisma, principal } = opts;
  const { team, row } = await findTeamRuleSet(opts);
  await prisma.$transaction(async (tx) => {
    const vms = await vmsWithRuleSet(tx, row.id);
    if (vms.length)
      throw new AppError("CONFLICT", `Rule set ${row.name} is applied to ${vms.map((v) => v.name).join(", ")}; take it off them first`, {
        key: "error.firewall.inUse",
        params: { name: row.name, vms: vms.map((v) => v.name).join(", ") },
      });
    // Deleted VMs keep their history elsewhere (audit, events); their links do not hold the set.
    await tx.vmFirewallRuleSet.deleteMany({ where: { ruleSetId: row.id } });
    await tx.firewallRuleSet.delete({ where: { id: row.id } });
    await recordAudit({
      prisma: tx,
      ...actorOf(principal),
      action: "firewall.ruleset.delete",
      teamId: team.id,
      targetType: "firewall-rule-set",
      targetId: row.id,
      details: { name: row.name },
      meta: opts.meta,
    });
  });
  return { deleted: true };
}
