import { guestRoleOf } from "../../guest/guest-role";
import { evaluateGuestControls } from "../../guest/verify/guest-controls";
import { collectGuestEvidence } from "../../guest/verify/guest-evidence";
import type { StepDefinition } from "../../jobs/define";
import { loadVm, requirePlaced } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { vmGuestShell } from "../shared/vm-guest-shell";
import type { ProvisionVmPayload } from "./payload";

// The first hardening report, from evidence read back from the guest in one SSH exec.

export const verifyStep: StepDefinition<ProvisionVmPayload> = {
  key: "verify",
  async run({ prisma, payload, job }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const shell = vmGuestShell({ vm, step: "collect hardening evidence" });
    const evidence = await collectGuestEvidence({ shell, adminUser: vm.adminUser, privilege: "sudo" });
    const report = evaluateGuestControls({ evidence, expect: { role: guestRoleOf(vm.clusterRole), adminUser: vm.adminUser } });
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
    });
    return { reportId: row.id, passed: report.passed, failed: report.failed };
  },
};
