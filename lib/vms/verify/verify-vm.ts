import { z } from "zod";
import { AppError, fromZod } from "../../core/errors";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { guestRoleOf } from "../../guest/guest-role";
import { diffReports, hardeningReportSchema, summariseControls, type ControlDrift, type HardeningReportData } from "../../guest/report";
import { evaluateGuestControls } from "../../guest/verify/guest-controls";
import { collectGuestEvidence } from "../../guest/verify/guest-evidence";
import { hostContext } from "../../hosts/host-target";
import { createGuestShell } from "../../ssh/guest-shell";
import type { SshPool } from "../../ssh/pool";
import { guestTargetThrough } from "../shared/guest-target";
import { privateAddressesOf, vmNetworkControls } from "../shared/network-controls";

// Re-runs the evidence collection on a VM (one SSH exec through its host as a jump, as the admin
// user with Skjold's management key and the guest's pinned host key) and stores a HardeningReport
// whose driftFrom names the controls that passed in the previous guest report and fail now.

const verifyVmInputSchema = z.object({ vmId: z.string().uuid() });

export type VerifyVmResult = HardeningReportData & { id: string; createdAt: Date; drift: ControlDrift[] };

/** Collects evidence on the VM, evaluates it, and stores it with drift from the previous guest report. */
export async function verifyVm(opts: { prisma: PrismaClient; vmId: string; pool?: SshPool }): Promise<VerifyVmResult> {
  const parsed = verifyVmInputSchema.safeParse({ vmId: opts.vmId });
  if (!parsed.success) throw fromZod(parsed.error, "Invalid VM id");
  const { prisma } = opts;
  const vm = await prisma.virtualMachine.findUnique({
    where: { id: parsed.data.vmId },
    select: {
      id: true,
      name: true,
      state: true,
      adminUser: true,
      sshHost: true,
      sshPort: true,
      ipAddress: true,
      ipv6Address: true,
      ipv6Prefix: true,
      macAddress: true,
      domainName: true,
      guestHostKeyFingerprint: true,
      mgmtKeyEnc: true,
      clusterRole: true,
      host: true,
    },
  });
  if (!vm) throw new AppError("NOT_FOUND", "No such VM", { key: "error.vm.noSuchVm" });
  if (vm.state !== "RUNNING" && vm.state !== "PROVISIONING")
    throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}: only a running VM can be verified`, {
      key: "error.vm.verifyWrongState",
      params: { name: vm.name, vmState: vm.state },
    });
  if (!vm.host)
    throw new AppError("CONFLICT", `VM ${vm.name} is not placed on a host`, { key: "error.vm.notPlaced", params: { name: vm.name } });

  const ctx = hostContext(vm.host, opts.pool, { prisma });
  const role = guestRoleOf(vm.clusterRole);
  const shell = createGuestShell({
    pool: ctx.pool,
    target: guestTargetThrough({ vm, host: vm.host, via: ctx.target }),
    privilege: "sudo",
    step: "verify hardening",
  });
  const evidence = await collectGuestEvidence({ shell, adminUser: vm.adminUser, privilege: "sudo" });
  const guest = evaluateGuestControls({ evidence, expect: { role, adminUser: vm.adminUser } });
  const network = await vmNetworkControls({
    ctx,
    vm,
    host: vm.host,
    guestAddresses: evidence.globalAddresses,
    privateAddresses: await privateAddressesOf(prisma, vm.id),
  });
  const current = summariseControls("guest", [...guest.controls, ...network]);

  const last = await prisma.hardeningReport.findFirst({
    where: { vmId: vm.id, scope: "guest" },
    orderBy: { createdAt: "desc" },
    select: { controls: true, passed: true, failed: true, notApplicable: true },
  });
  const previous = last ? hardeningReportSchema.safeParse({ scope: "guest", ...last }) : null;
  const drift = diffReports({ previous: previous?.success ? previous.data : null, current });
  const row = await prisma.$transaction(async (tx) => {
    const saved = await tx.hardeningReport.create({
      data: {
        vmId: vm.id,
        scope: "guest",
        passed: current.passed,
        failed: current.failed,
        notApplicable: current.notApplicable,
        controls: current.controls as unknown as Prisma.InputJsonValue,
        driftFrom: drift.length ? drift.map((d) => d.id).join(",") : null,
      },
      select: { id: true, createdAt: true },
    });
    const message = drift.length
      ? `Hardening drifted: ${drift.map((d) => d.id).join(", ")} now fail`
      : `Hardening verified: ${current.passed} pass, ${current.failed} fail, ${current.notApplicable} not applicable`;
    await tx.vmEvent.create({ data: { vmId: vm.id, kind: drift.length ? "hardening.drift" : "hardening.verified", message } });
    return saved;
  });
  return { ...current, id: row.id, createdAt: row.createdAt, drift };
}
