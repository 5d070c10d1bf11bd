import { requireTeam } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import type { Principal, RequestMeta } from "../../access/principal";
import { AppError, fromZod, notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { cancelJob } from "../../jobs/cancel";
import { enqueueJob } from "../../jobs/enqueue";
import { deleteVmJob } from "../delete/delete-vm-job";
import { powerVmJob } from "./power-vm-job";
import { verifyVmJob } from "../verify/verify-vm-job";
import { VmPowerActionSchema, type VmPowerAction } from "../order/schemas";

interface VmActionBase {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  vmId: string;
  meta?: RequestMeta;
}

/** The team's VM, locked for the caller's transaction; another team's VM is simply not found. */
async function findTeamVm(opts: VmActionBase) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "operate" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId) ? await opts.prisma.virtualMachine.findUnique({ where: { id: opts.vmId } }) : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found");
  return { team, vm };
}

/** Start, shutdown, reboot or force off: checked here, carried out by a "vm.power" job. */
export async function vmPowerAction(opts: VmActionBase & { action: VmPowerAction }): Promise<{ jobId: string }> {
  const action = VmPowerActionSchema.safeParse(opts.action);
  if (!action.success) throw fromZod(action.error, "VM action");
  const { team, vm } = await findTeamVm(opts);
  if (vm.state !== "RUNNING" && vm.state !== "STOPPED") {
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; power actions work on a running or stopped VM.`);
  }
  const busy = await opts.prisma.job.findFirst({ where: { vmId: vm.id, finishedAt: null }, select: { kind: true } });
  if (busy) throw new AppError("CONFLICT", `${vm.name} is busy (${busy.kind === "vm.power" ? "another power action" : busy.kind}); try again when it has finished.`);
  const { jobId } = await enqueueJob({ prisma: opts.prisma, kind: powerVmJob, payload: { vmId: vm.id, action: action.data }, teamId: team.id, vmId: vm.id, hostId: vm.hostId ?? undefined });
  await recordAudit({ prisma: opts.prisma, ...actorOf(opts.principal), action: `vm.power.${action.data}`, teamId: team.id, targetType: "vm", targetId: vm.id, details: { name: vm.name, jobId }, meta: opts.meta });
  return { jobId };
}

/**
 * Deletes a VM: a provisioning job still running is cancelled (it rolls back), then the "vm.delete"
 * job removes domain, disk and seed from the host and closes the residency entries. The row stays
 * as history (DELETED). Deleting twice returns the same job.
 */
export async function deleteVm(opts: VmActionBase): Promise<{ jobId: string }> {
  const { team, vm } = await findTeamVm(opts);
  if (vm.state === "DELETED") throw new AppError("CONFLICT", `${vm.name} is already deleted.`);
  const running = await opts.prisma.job.findMany({ where: { vmId: vm.id, kind: "vm.provision", state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  for (const job of running) await cancelJob({ prisma: opts.prisma, jobId: job.id, reason: "Cancelled: the VM is being deleted" }).catch(() => undefined);
  const { jobId, created } = await enqueueJob({ prisma: opts.prisma, kind: deleteVmJob, payload: { vmId: vm.id }, dedupeKey: `vm.delete:${vm.id}`, teamId: team.id, vmId: vm.id, hostId: vm.hostId ?? undefined });
  if (created) {
    await recordAudit({ prisma: opts.prisma, ...actorOf(opts.principal), action: "vm.delete", teamId: team.id, targetType: "vm", targetId: vm.id, details: { name: vm.name, jobId }, meta: opts.meta });
  }
  return { jobId };
}

/**
 * Re-runs the hardening checks on a running VM ("vm.verify" job). Any member may ask, auditors
 * included: it reads the machine and changes nothing on it. A run already waiting is reused.
 */
export async function verifyVmNow(opts: VmActionBase): Promise<{ jobId: string }> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId) ? await opts.prisma.virtualMachine.findUnique({ where: { id: opts.vmId }, select: { id: true, name: true, teamId: true, state: true, hostId: true } }) : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found");
  if (vm.state !== "RUNNING") throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}: only a running VM can be checked.`);
  const pending = await opts.prisma.job.findFirst({ where: { vmId: vm.id, kind: verifyVmJob.name, state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  if (pending) return { jobId: pending.id };
  const { jobId } = await enqueueJob({ prisma: opts.prisma, kind: verifyVmJob, payload: { vmId: vm.id }, teamId: team.id, vmId: vm.id, hostId: vm.hostId ?? undefined });
  await recordAudit({ prisma: opts.prisma, ...actorOf(opts.principal), action: "vm.verify", teamId: team.id, targetType: "vm", targetId: vm.id, details: { name: vm.name, jobId }, meta: opts.meta });
  return { jobId };
}
