import { requireTeam } from "../../access/team-access";
import { notFound } from "../../core/errors";
import type { VmRequest } from "../shared/find-team-vm";
import { firewallEnforceable, vmFirewallPolicy } from "./vm-firewall-policy";

/**
 * A VM's firewall as its page shows it: the rule sets applied, the effective inbound rules and
 * outbound default the host enforces, and whether this host can enforce them at all.
 */
export async function getVmFirewall(opts: VmRequest) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId)
    ? await opts.prisma.virtualMachine.findUnique({
        where: { id: opts.vmId },
        include: { host: { select: { name: true, networkMode: true } } },
      })
    : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found", { key: "error.vm.notFound" });
  const { sets, policy } = await vmFirewallPolicy(opts.prisma, vm.id);
  return {
    vmId: vm.id,
    /** false on a lab-trial host: no tap of its own, so no host firewall */
    enforced: firewallEnforceable(vm.host),
    ruleSets: sets.map((s) => ({ id: s.id, name: s.name, outbound: s.outbound === "DENY" ? ("deny" as const) : ("allow" as const) })),
    /** null: no rule set applied, the host lets everything through to the guest's own firewall */
    effective: policy,
  };
}
