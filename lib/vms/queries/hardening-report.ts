import { requireTeam } from "../../access/team-access";
import { notFound } from "../../core/errors";
import type { TeamRequest } from "../shared/find-team-vm";

/** The VM's latest guest hardening report, whole (for export); 404 when there is none yet. */
export async function latestVmHardeningReport(opts: TeamRequest & { vmId: string }) {
  const { prisma } = opts;
  const { team } = await requireTeam({ prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId)
    ? await prisma.virtualMachine.findUnique({ where: { id: opts.vmId }, select: { id: true, name: true, teamId: true } })
    : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found", { key: "error.vm.notFound" });
  const r = await prisma.hardeningReport.findFirst({ where: { vmId: vm.id, scope: "guest" }, orderBy: { createdAt: "desc" } });
  if (!r) throw notFound(`${vm.name} has no hardening report yet`, { key: "error.vm.noHardeningReport", params: { name: vm.name } });
  return {
    vm: vm.name,
    vmId: vm.id,
    scope: r.scope,
    createdAt: r.createdAt,
    passed: r.passed,
    failed: r.failed,
    notApplicable: r.notApplicable,
    driftFrom: r.driftFrom ? r.driftFrom.split(",") : [],
    controls: r.controls,
  };
}
