import { z } from "zod";
import { AppError, fromZod } from "../../core/errors";
import { decryptSecret } from "../../core/secrets";
import type { Host, PrismaClient, VirtualMachine } from "../../generated/prisma/client";
import type { Prisma } from "../../generated/prisma/client";
import { createGuestShell } from "../../ssh/guest-shell";
import { hostContext } from "../../hosts/host-target";
import type { SshPool } from "../../ssh/pool";
import type { SshTarget } from "../../ssh/target";
import { guestRoleOf } from "../../guest/guest-role";
import { diffReports, hardeningReportSchema, type ControlDrift, type HardeningReportData } from "../../guest/report";
import { evaluateGuestControls } from "../../guest/verify/guest-controls";
import { collectGuestEvidence } from "../../guest/verify/guest-evidence";

// Re-runs the evidence collection on a VM (one SSH exec through its host as a jump, as the admin
// user with Skjold's management key and the guest's pinned host key) and stores a HardeningReport
// whose driftFrom names the controls that passed in the previous guest report and fail now.

export const verifyVmInputSchema = z.object({ vmId: z.string().uuid() });

export type VerifyVmResult = HardeningReportData & { id: string; createdAt: Date; drift: ControlDrift[] };

type GuestRow = Pick<VirtualMachine, "name" | "adminUser" | "sshHost" | "sshPort" | "ipAddress" | "guestHostKeyFingerprint" | "mgmtKeyEnc" | "clusterRole">;

/** The guest's SSH target behind its host (pure apart from decrypting the key). */
export function guestTarget(opts: { vm: GuestRow; host: Pick<Host, "networkMode">; via: SshTarget }): SshTarget {
  const { vm, host, via } = opts;
  const missing = !vm.mgmtKeyEnc ? "its management key" : !vm.guestHostKeyFingerprint ? "its pinned host key" : null;
  if (missing) throw new AppError("CONFLICT", `VM ${vm.name} cannot be verified: ${missing} is not recorded (was it provisioned by Skjold?)`);
  const bridged = host.networkMode === "BRIDGED";
  const address = bridged ? vm.ipAddress : (vm.sshHost ?? "127.0.0.1");
  const port = bridged ? 22 : vm.sshPort;
  if (!address || !port) throw new AppError("CONFLICT", `VM ${vm.name} has no SSH address recorded`);
  return { label: vm.name, host: address, port, username: vm.adminUser, privateKey: decryptSecret(vm.mgmtKeyEnc!), hostKeyFingerprint: vm.guestHostKeyFingerprint, via };
}

/** Collects evidence on the VM, evaluates it, and stores it with drift from the previous guest report. */
export async function verifyVm(opts: { prisma: PrismaClient; vmId: string; pool?: SshPool }): Promise<VerifyVmResult> {
  const parsed = verifyVmInputSchema.safeParse({ vmId: opts.vmId });
  if (!parsed.success) throw fromZod(parsed.error, "Invalid VM id");
  const { prisma } = opts;
  const vm = await prisma.virtualMachine.findUnique({
    where: { id: parsed.data.vmId },
    select: { id: true, name: true, state: true, adminUser: true, sshHost: true, sshPort: true, ipAddress: true, guestHostKeyFingerprint: true, mgmtKeyEnc: true, clusterRole: true, host: true },
  });
  if (!vm) throw new AppError("NOT_FOUND", "No such VM");
  if (vm.state !== "RUNNING" && vm.state !== "PROVISIONING") throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}: only a running VM can be verified`);
  if (!vm.host) throw new AppError("CONFLICT", `VM ${vm.name} is not placed on a host`);

  const ctx = hostContext(vm.host, opts.pool);
  const role = guestRoleOf(vm.clusterRole);
  const shell = createGuestShell({ pool: ctx.pool, target: guestTarget({ vm, host: vm.host, via: ctx.target }), privilege: "sudo", step: "verify hardening" });
  const evidence = await collectGuestEvidence({ shell, adminUser: vm.adminUser, privilege: "sudo" });
  const current = evaluateGuestControls({ evidence, expect: { role, adminUser: vm.adminUser } });

  const last = await prisma.hardeningReport.findFirst({ where: { vmId: vm.id, scope: "guest" }, orderBy: { createdAt: "desc" }, select: { controls: true, passed: true, failed: true, notApplicable: true } });
  const previous = last ? hardeningReportSchema.safeParse({ scope: "guest", ...last }) : null;
  const drift = diffReports({ previous: previous?.success ? previous.data : null, current });
  const row = await prisma.$transaction(async (tx) => {
    const saved = await tx.hardeningReport.create({
      data: { vmId: vm.id, scope: "guest", passed: current.passed, failed: current.failed, notApplicable: current.notApplicable, controls: current.controls as unknown as Prisma.InputJsonValue, driftFrom: drift.length ? drift.map((d) => d.id).join(",") : null },
      select: { id: true, createdAt: true },
    });
    const message = drift.length ? `Hardening drifted: ${drift.map((d) => d.id).join(", ")} now fail` : `Hardening verified: ${current.passed} pass, ${current.failed} fail, ${current.notApplicable} not applicable`;
    await tx.vmEvent.create({ data: { vmId: vm.id, kind: drift.length ? "hardening.drift" : "hardening.verified", message } });
    return saved;
  });
  return { ...current, id: row.id, createdAt: row.createdAt, drift };
}
