import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import { enqueueJob } from "../../jobs/enqueue";
import { loadPlacementHosts, lockRegion } from "../../placement/region-snapshot";
import { quotaRefusal } from "../order/quota";
import { readTeamUsage, teamLimits } from "../order/team-usage";
import { assertVmIdle } from "../shared/assert-vm-idle";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { hostRoomRefusal, planChangeRefusal, type ResizeRefusal } from "./resize-refusal";
import { resizeVmJob } from "./resize-vm-job";
import { ResizeVmInput } from "./schemas";

/**
 * Changes a VM's plan. Checked here, in one transaction holding the team (quota) and the region
 * (host capacity): a disk never shrinks, the new size fits the team's quota and the VM's own host.
 * The row takes the new size at once, so no other order can take the room meanwhile; the job
 * `vm.resize` grows the disk (online when the VM runs, and its filesystem with it) and sets vCPUs and
 * memory for the next start, and puts the old size back if it fails before the disk grew.
 */
export async function resizeVm(opts: VmRequest & { input: unknown }): Promise<{ jobId: string }> {
  const parsed = ResizeVmInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Resize");
  const { team, vm: found } = await findTeamVm(opts);
  const plan = await opts.prisma.plan.findFirst({ where: { code: parsed.data.planCode, active: true } });
  if (!plan)
    throw new AppError("VALIDATION", `Plan ${parsed.data.planCode} does not exist or is no longer offered.`, {
      key: "error.vm.planNotFound",
      params: { plan: parsed.data.planCode },
      details: { field: "planCode" },
    });
  const to = { planId: plan.id, vcpus: plan.vcpus, memoryMb: plan.memoryMb, diskGb: plan.diskGb };

  return opts.prisma.$transaction(async (tx) => {
    const [limits] = await tx.$queryRaw<{ maxVms: number; maxVcpus: number; maxMemoryMb: number; maxDiskGb: number }[]>`
      SELECT "maxVms", "maxVcpus", "maxMemoryMb", "maxDiskGb" FROM "Team" WHERE id = ${team.id}::uuid FOR UPDATE`;
    await lockRegion(tx, found.regionId);
    // The row as the locks leave it (a resize that finished since it was read outside is seen here).
    const vm = await tx.virtualMachine.findUniqueOrThrow({ where: { id: found.id } });
    if (vm.state !== "RUNNING" && vm.state !== "STOPPED")
      throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; a running or stopped VM can change its plan.`, {
        key: "error.vm.resizeWrongState",
        params: { name: vm.name, vmState: vm.state },
      });
    if (!vm.hostId || !vm.poolId)
      throw new AppError("CONFLICT", `VM ${vm.name} has no host yet`, { key: "error.vm.noHost", params: { name: vm.name } });
    await assertVmIdle(tx, vm, resizeVmJob.name);
    const from = { planId: vm.planId, vcpus: vm.vcpus, memoryMb: vm.memoryMb, diskGb: vm.diskGb };
    const sizes = {
      name: vm.name,
      from,
      to: { code: plan.code, name: plan.name, vcpus: plan.vcpus, memoryMb: plan.memoryMb, diskGb: plan.diskGb },
    };
    const refuse = (r: ResizeRefusal) =>
      new AppError(r.code, r.message, {
        key: r.key,
        params: r.params,
        ...(r.code === "VALIDATION" ? { details: { field: "planCode" } } : {}),
      });
    const change = planChangeRefusal(sizes);
    if (change) throw refuse(change);
    // The quota without this VM's own size, then with the new one: one VM, counted once.
    const used = await readTeamUsage(tx, team.id);
    const others = {
      vms: used.vms - 1,
      vcpus: used.vcpus - from.vcpus,
      memoryMb: used.memoryMb - from.memoryMb,
      diskGb: used.diskGb - from.diskGb,
    };
    const quota = quotaRefusal({ limits: teamLimits(limits!), used: others, request: to });
    if (quota) throw new AppError("QUOTA_EXCEEDED", quota.message, { key: quota.key, params: quota.params });
    const hosts = await loadPlacementHosts({ tx, regionId: vm.regionId, imageId: vm.imageId, excludeVmId: vm.id });
    const room = hostRoomRefusal({ ...sizes, host: hosts.find((h) => h.id === vm.hostId), poolId: vm.poolId });
    if (room) throw refuse(room);

    await tx.virtualMachine.update({ where: { id: vm.id }, data: to });
    const { jobId } = await enqueueJob({
      prisma: tx,
      kind: resizeVmJob,
      payload: { vmId: vm.id, from, to },
      teamId: team.id,
      vmId: vm.id,
      hostId: vm.hostId ?? undefined,
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "vm.resize",
      teamId: team.id,
      targetType: "vm",
      targetId: vm.id,
      details: { name: vm.name, plan: plan.code, from, to: { ...to }, jobId },
      meta: opts.meta,
    });
    return { jobId };
  });
}
