import { AppError } from "../../core/errors";
import { guestRoleOf } from "../../guest/guest-role";
import { evaluateGuestControls } from "../../guest/verify/guest-controls";
import { collectGuestEvidence } from "../../guest/verify/guest-evidence";
import type { StepDefinition } from "../../jobs/define";
import { summariseControls } from "../../guest/report";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { privateAddressesOf, vmNetworkControls } from "../shared/network-controls";
import { addVmEvent } from "../shared/vm-events";
import { vmGuestShell } from "../shared/vm-guest-shell";
import type { ProvisionVmPayload } from "./payload";

// The first hardening report, from evidence read back from the guest in one SSH exec, with the
// network controls the host enforces on the guest's tap (read from the host itself). A VM served from
// the warm pool must pass it; a cold VM is handed over with its report, failing controls shown.

export const verifyStep: StepDefinition<ProvisionVmPayload> = {
  key: "verify",
  async run({ prisma, payload, job }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const shell = vmGuestShell({ vm, step: "collect hardening evidence" });
    const t0 = performance.now();
    const evidence = await collectGuestEvidence({ shell, adminUser: vm.adminUser, privilege: "sudo" });
    const evidenceMs = Math.round(performance.now() - t0);
    const guest = evaluateGuestControls({ evidence, expect: { role: guestRoleOf(vm.clusterRole), adminUser: vm.adminUser } });
    const network = await vmNetworkControls({
      ctx: vmHostContext(vm, prisma),
      vm,
      host: vm.host,
      privateAddresses: await privateAddressesOf(prisma, vm.id),
      guestAddresses: evidence.globalAddresses,
    });
    const networkMs = Math.round(performance.now() - t0) - evidenceMs;
    const report = summariseControls("guest", [...guest.controls, ...network]);
    const started = (await prisma.job.findUnique({ where: { id: job.id }, select: { startedAt: true } }))?.startedAt ?? new Date(0);
    // A re-run of this step replaces the report it wrote before, instead of adding a second one.
    await prisma.hardeningReport.deleteMany({ where: { vmId: vm.id, scope: "guest", createdAt: { gte: started } } });
    const row = await prisma.hardeningReport.create({
      data: {
        vmId: vm.id,
        scope: "guest",
        passed: report.passed,
        failed: report.failed,
        notApplicable: report.notApplicable,
        controls: report.controls,
      },
    });
    const failing = report.controls.filter((c) => c.status === "fail").map((c) => c.id);
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "verified",
      message: `Hardening report: ${report.passed} passed, ${report.failed} failed${failing.length ? ` (${failing.slice(0, 5).join(", ")})` : ""}`,
      key: failing.length ? "event.verifiedFailing" : "event.verified",
      params: { passed: report.passed, failed: report.failed, failing: failing.slice(0, 5).join(", ") },
    });
    // A guest served from the warm pool is handed out only with a passing report (issue 17's safety
    // rule): a failing control is permanent, so personalise's undo discards the guest.
    if (vm.warmClaimedAt && failing.length)
      throw new AppError(
        "CONFLICT",
        `The warm guest taken for ${vm.name} fails its hardening report (${failing.slice(0, 5).join(", ")}): discarded`,
        {
          key: "error.vm.warmReportFailing",
          params: { name: vm.name, failing: failing.slice(0, 5).join(", ") },
        },
      );
    // evidence: the guest's exec (with its connection); network: the host's read of the tap's filters
    return { reportId: row.id, passed: report.passed, failed: report.failed, evidenceMs, networkMs };
  },
};
