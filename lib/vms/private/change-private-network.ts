import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import { uuid } from "../../core/validation";
import { enqueueJob } from "../../jobs/enqueue";
import { assignPrivateNics } from "../../network/private/assign-private-nics";
import { assertVmIdle } from "../shared/assert-vm-idle";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { privateNicJob } from "./private-nic-job";

/** What a tenant sends to put a VM on one more of its team's private networks. */
export const AttachPrivateNetworkInput = z.strictObject({ networkId: uuid });

async function placedVm(opts: VmRequest) {
  const { team, vm } = await findTeamVm(opts);
  if (!["RUNNING", "STOPPED"].includes(vm.state) || !vm.hostId)
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; its private networks cannot change now.`, {
      key: "error.privateNetwork.vmState",
      params: { name: vm.name, vmState: vm.state },
    });
  const host = await opts.prisma.host.findUniqueOrThrow({ where: { id: vm.hostId } });
  const region = await opts.prisma.region.findUniqueOrThrow({ where: { id: vm.regionId } });
  return { team, vm, host, region };
}

/** The VM's vm.private-nic job and its audit line, in the request's transaction. */
async function enqueueAndAudit(o: {
  tx: Prisma.TransactionClient;
  opts: VmRequest;
  teamId: string;
  vm: { id: string; name: string; hostId: string | null };
  action: "attach" | "detach";
  networkId: string;
  details: Record<string, unknown>;
}): Promise<string> {
  const { jobId } = await enqueueJob({
    prisma: o.tx,
    kind: privateNicJob,
    payload: { vmId: o.vm.id, networkId: o.networkId, action: o.action },
    teamId: o.teamId,
    vmId: o.vm.id,
    hostId: o.vm.hostId ?? undefined,
  });
  await recordAudit({
    prisma: o.tx,
    ...actorOf(o.opts.principal),
    action: `vm.private-network.${o.action}`,
    teamId: o.teamId,
    targetType: "vm",
    targetId: o.vm.id,
    details: { name: o.vm.name, ...o.details, jobId },
    meta: o.opts.meta,
  });
  return jobId;
}

/**
 * Members: attaches a running or stopped VM to one more of the team's private networks in its region.
 * The address is taken now (under the network's lock); a `vm.private-nic` job does the host, the
 * domain and the guest. One job at a time per VM.
 */
export async function attachPrivateNetwork(opts: VmRequest & { input: unknown }): Promise<{ jobId: string; ipv4: string }> {
  const parsed = AttachPrivateNetworkInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Private network");
  const { team, vm, host, region } = await placedVm(opts);
  return opts.prisma.$transaction(async (tx) => {
    await assertVmIdle(tx, vm, privateNicJob.name);
    const [nic] = await assignPrivateNics({
      tx,
      vm: { id: vm.id, teamId: team.id, regionId: vm.regionId },
      regionCode: region.code,
      host,
      networkIds: [parsed.data.networkId],
    });
    const jobId = await enqueueAndAudit({
      tx,
      opts,
      teamId: team.id,
      vm,
      action: "attach",
      networkId: nic!.networkId,
      details: { network: nic!.networkName, ipv4: nic!.ipv4, ipv6: nic!.ipv6 },
    });
    return { jobId, ipv4: nic!.ipv4 };
  });
}

/** Members: takes a VM off one of its private networks (a `vm.private-nic` job; the address is freed when it is done). */
export async function detachPrivateNetwork(opts: VmRequest & { networkId: string }): Promise<{ jobId: string }> {
  const { team, vm } = await placedVm(opts);
  const id = /^[0-9a-f-]{36}$/i.test(opts.networkId) ? opts.networkId : null;
  const nic = id
    ? await opts.prisma.privateNic.findFirst({ where: { vmId: vm.id, networkId: id }, include: { network: { select: { name: true } } } })
    : null;
  if (!nic)
    throw new AppError("NOT_FOUND", `${vm.name} is not on private network ${opts.networkId}`, {
      key: "error.privateNetwork.notOn",
      params: { vm: vm.name, name: opts.networkId },
    });
  return opts.prisma.$transaction(async (tx) => {
    await assertVmIdle(tx, vm, privateNicJob.name);
    const jobId = await enqueueAndAudit({
      tx,
      opts,
      teamId: team.id,
      vm,
      action: "detach",
      networkId: nic.networkId,
      details: { network: nic.network.name, ipv4: nic.ipv4 },
    });
    return { jobId };
  });
}
