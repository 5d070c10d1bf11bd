import type { StepDefinition } from "../../jobs/define";
import { hardenGuest } from "../../guest/harden-guest";
import { collectGuestEvidence } from "../../guest/verify/guest-evidence";
import { evaluateGuestControls } from "../../guest/verify/guest-controls";
import { AppError } from "../../core/errors";
import { guestRoleOf } from "../../guest/guest-role";
import type { ProvisionVmPayload } from "./payload";
import { addVmEvent, loadVm, requirePlaced, type LoadedVm } from "../shared/load-vm";
import { vmGuestShell } from "../shared/vm-guest-shell";

// After SSH answers: converge the hardening (cloud-init already wrote the same files), prove it with
// evidence read from the guest, and hand the VM to its team.

/**
 * The hardening input of a VM as Skjold provisioned it: its tenant's key, Skjold's management key and
 * the guest role of its cluster role. A k3s cluster re-applies it with its nodes' addresses.
 */
export function hardeningInputOf(vm: LoadedVm) {
  if (!vm.sshKey) throw new AppError("VALIDATION", `The SSH key chosen for ${vm.name} was deleted; order again with another key`);
  if (!vm.mgmtPublicKey) throw new AppError("CONFLICT", `VM ${vm.name} has no management key recorded (was it provisioned by Skjold?)`);
  return { adminUser: vm.adminUser, sshPublicKey: vm.sshKey.publicKey, extraSshPublicKeys: [vm.mgmtPublicKey], role: guestRoleOf(vm.clusterRole) };
}

export const hardenStep: StepDefinition<ProvisionVmPayload> = {
  key: "harden",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const input = hardeningInputOf(vm);
    const shell = vmGuestShell({ vm, step: "harden the guest" });
    const r = await hardenGuest({ shell, privilege: "sudo", ...input });
    await addVmEvent({ prisma, vmId: vm.id, kind: "hardened", message: r.changed ? `Hardening converged: ${r.changes.length} change(s) (${r.changes.slice(0, 5).join(", ")})` : "Hardening: the guest already matched (set up by cloud-init)" });
    return { changed: r.changed, changes: r.changes.length };
  },
};

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
      data: { vmId: vm.id, scope: "guest", passed: report.passed, failed: report.failed, notApplicable: report.notApplicable, controls: report.controls },
    });
    const failing = report.controls.filter((c) => c.status === "fail").map((c) => c.id);
    await addVmEvent({ prisma, vmId: vm.id, kind: "verified", message: `Hardening report: ${report.passed} passed, ${report.failed} failed${failing.length ? ` (${failing.slice(0, 5).join(", ")})` : ""}` });
    return { reportId: row.id, passed: report.passed, failed: report.failed };
  },
};

export const readyStep: StepDefinition<ProvisionVmPayload> = {
  key: "ready",
  async run({ prisma, payload }) {
    const vm = await loadVm(prisma, payload.vmId);
    if (vm.state === "PROVISIONING") {
      await prisma.virtualMachine.update({ where: { id: vm.id }, data: { state: "RUNNING", readyAt: new Date(), lastError: null } });
      await addVmEvent({ prisma, vmId: vm.id, kind: "ready", message: `Ready: ssh -p ${vm.sshPort} ${vm.adminUser}@${vm.sshHost ?? "127.0.0.1"} on ${vm.host?.name ?? "its host"}` });
    }
    return { state: "RUNNING" };
  },
};
