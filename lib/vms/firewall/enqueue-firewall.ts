import type { Prisma } from "../../generated/prisma/client";
import { enqueueJob } from "../../jobs/enqueue";
import { firewallVmJob } from "./firewall-vm-job";

/**
 * Enqueues a `vm.firewall` job for each VM that has a host to apply it on (a VM not yet placed gets its
 * rules from provisioning). One job per change: each reads the sets when it runs, so the last wins.
 */
export async function enqueueFirewallJobs(opts: {
  prisma: Prisma.TransactionClient;
  teamId: string;
  vms: { id: string; hostId: string | null }[];
}): Promise<string[]> {
  const ids: string[] = [];
  for (const vm of opts.vms) {
    if (!vm.hostId) continue;
    const { jobId } = await enqueueJob({
      prisma: opts.prisma,
      kind: firewallVmJob,
      payload: { vmId: vm.id },
      teamId: opts.teamId,
      vmId: vm.id,
      hostId: vm.hostId,
    });
    ids.push(jobId);
  }
  return ids;
}

/** The team's live VMs (not deleted or being deleted) that have this rule set. */
export async function vmsWithRuleSet(prisma: Prisma.TransactionClient, ruleSetId: string) {
  return prisma.virtualMachine.findMany({
    where: { firewallRuleSets: { some: { ruleSetId } }, state: { notIn: ["DELETING", "DELETED"] } },
    select: { id: true, name: true, hostId: true },
    orderBy: { name: "asc" },
  });
}
