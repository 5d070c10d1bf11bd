import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import { VmFirewallInput } from "../../firewall/schemas";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { enqueueFirewallJobs } from "./enqueue-firewall";
import { firewallEnforceable } from "./vm-firewall-policy";

/**
 * Members: the rule sets a VM has, replacing what it had ([] takes its host firewall away). Refused
 * on a lab-trial host (user-mode networking: the guest has no tap of its own to filter) and for a VM
 * being deleted. A placed VM gets a `vm.firewall` job; one still waiting for a host gets its rules
 * when it is provisioned.
 */
export async function setVmFirewall(opts: VmRequest & { input: unknown }): Promise<{ ruleSets: string[]; jobId: string | null }> {
  const parsed = VmFirewallInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "VM firewall");
  const { team, vm } = await findTeamVm(opts);
  const { prisma } = opts;
  if (["DELETING", "DELETED", "FAILED"].includes(vm.state))
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; its firewall cannot change.`, {
      key: "error.firewall.vmState",
      params: { name: vm.name, vmState: vm.state },
    });
  const host = vm.hostId ? await prisma.host.findUnique({ where: { id: vm.hostId }, select: { networkMode: true, name: true } }) : null;
  if (!firewallEnforceable(host))
    throw new AppError(
      "CONFLICT",
      `${vm.name} runs on ${host!.name}, a lab-trial host (user-mode networking, no tap of its own): a host firewall cannot be enforced there`,
      { key: "error.firewall.notEnforced", params: { name: vm.name, host: host!.name } },
    );
  const ids = parsed.data.ruleSetIds;
  const sets = await prisma.firewallRuleSet.findMany({ where: { id: { in: ids }, teamId: team.id }, select: { id: true, name: true } });
  const known = new Set(sets.map((s) => s.id));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0)
    throw new AppError("VALIDATION", `VM firewall: ruleSetIds.${missing}: is not one of the team's rule sets`, {
      key: "error.firewall.unknownSet",
      params: { index: missing },
      details: [{ path: `ruleSetIds.${missing}`, message: "is not one of the team's rule sets" }],
    });
  return prisma.$transaction(async (tx) => {
    const before = await tx.vmFirewallRuleSet.findMany({ where: { vmId: vm.id }, include: { ruleSet: { select: { name: true } } } });
    await tx.vmFirewallRuleSet.deleteMany({ where: { vmId: vm.id, ruleSetId: { notIn: ids } } });
    await tx.vmFirewallRuleSet.createMany({ data: ids.map((ruleSetId) => ({ vmId: vm.id, ruleSetId })), skipDuplicates: true });
    const [jobId = null] = await enqueueFirewallJobs({ prisma: tx, teamId: team.id, vms: [vm] });
    const names = sets.map((s) => s.name).sort();
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "vm.firewall.set",
      teamId: team.id,
      targetType: "vm",
      targetId: vm.id,
      details: { name: vm.name, ruleSets: names, before: before.map((b) => b.ruleSet.name).sort(), jobId },
      meta: opts.meta,
    });
    return { ruleSets: names, jobId };
  });
}
