import { requireTeam } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, notFound } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import type { VmRequest } from "../shared/find-team-vm";
import { verifyVmJob } from "./verify-vm-job";

/**
 * Re-runs the hardening checks on a running VM ("vm.verify" job). Any member may ask, auditors
 * included: it reads the machine and changes nothing on it. A run already waiting is reused.
 */
export async function verifyVmNow(opts: VmRequest): Promise<{ jobId: string }> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId)
    ? await opts.prisma.virtualMachine.findUnique({
        where: { id: opts.vmId },
        select: { id: true, name: true, teamId: true, state: true, hostId: true },
      })
    : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found", { key: "error.vm.notFound" });
  if (vm.state !== "RUNNING")
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}: only a running VM can be checked.`, {
      key: "error.vm.verifyNotRunning",
      params: { name: vm.name, vmState: vm.state },
    });
  const pending = await opts.prisma.job.findFirst({
    where: { vmId: vm.id, kind: verifyVmJob.name, state: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true },
  });
  if (pending) return { jobId: pending.id };
  const { jobId } = await enqueueJob({
    prisma: opts.prisma,
    kind: verifyVmJob,
    payload: { vmId: vm.id },
    teamId: team.id,
    vmId: vm.id,
    hostId: vm.hostId ?? undefined,
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "vm.verify",
    teamId: team.id,
    targetType: "vm",
    targetId: vm.id,
    details: { name: vm.name, jobId },
    meta: opts.meta,
  });
  return { jobId };
}
