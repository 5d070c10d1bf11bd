import { randomUUID } from "node:crypto";
import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import type { PrismaClient, VirtualMachine } from "../../generated/prisma/client";
import { enqueueJob } from "../../jobs/enqueue";
import { placeVm } from "../../placement/place-vm";
import { LIVE_VM_STATES, loadPlacementHosts, lockRegion } from "../../placement/region-snapshot";
import { assertRegionAllowed } from "../../residency/policy";
import { PLACEMENT_STRATEGY } from "../provision/place";
import { provisionVmJob } from "../provision/provision-vm-job";
import { claimWarmGuest } from "../warm/claim-warm-guest";
import { personaliseJobFor } from "../warm/personalise-vm-job";
import { capacityRefusal } from "./capacity-refusal";
import { resolveOrderCatalog } from "./catalog";
import { quotaRefusal } from "./quota";
import { OrderVmInput } from "./schemas";
import { readTeamUsage, teamLimits } from "./team-usage";
import { addressNote, assignVmAddresses } from "../shared/assign-vm-addresses";
import { newGuestMac } from "../shared/vm-nic";
import { assignPrivateNics } from "../../network/private/assign-private-nics";

export interface PlaceOrderOptions {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}

/**
 * Orders a VM. Validation first (nothing is written for a bad order); then one transaction that
 * locks the team (quota, policy, unique name) and the region (capacity), reserves a host, creates
 * the VM as PENDING and enqueues its provisioning job, so no two orders can both take the last room.
 */
export async function placeOrder(opts: PlaceOrderOptions): Promise<{ vm: VirtualMachine; jobId: string }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const parsed = OrderVmInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Order");
  const input = parsed.data;
  const { region, plan, image, sshKey } = await resolveOrderCatalog({ prisma, input, userId: principal.userId });
  const request = { regionCode: region.code, vcpus: plan.vcpus, memoryMb: plan.memoryMb, diskGb: plan.diskGb };

  return prisma.$transaction(
    async (tx) => {
      const [locked] = await tx.$queryRaw<
        { residencyPolicy: string; maxVms: number; maxVcpus: number; maxMemoryMb: number; maxDiskGb: number }[]
      >`
        SELECT "residencyPolicy"::text AS "residencyPolicy", "maxVms", "maxVcpus", "maxMemoryMb", "maxDiskGb" FROM "Team" WHERE id = ${team.id}::uuid FOR UPDATE`;
      if (!locked) throw new AppError("NOT_FOUND", "Team not found", { key: "error.team.notFound" });
      assertRegionAllowed({ policy: locked.residencyPolicy as typeof team.residencyPolicy, region });
      const refusal = quotaRefusal({ limits: teamLimits(locked), used: await readTeamUsage(tx, team.id), request });
      if (refusal) throw new AppError("QUOTA_EXCEEDED", refusal.message, { key: refusal.key, params: refusal.params });
      const clash = await tx.virtualMachine.findFirst({
        where: { teamId: team.id, name: input.name, state: { in: LIVE_VM_STATES } },
        select: { id: true },
      });
      if (clash)
        throw new AppError("CONFLICT", `Your team already has a VM named "${input.name}". Pick another name or delete that VM first.`, {
          key: "error.vm.nameTaken",
          params: { name: input.name },
        });

      // A ready warm guest that fits is taken first (row lock, skip locked): no boot on the tenant's clock.
      const privateNetworkIds = input.privateNetworkIds ?? [];
      const warm = privateNetworkIds.length
        ? null
        : await claimWarmGuest({
            tx,
            regionId: region.id,
            planId: plan.id,
            imageId: image.id,
            teamId: team.id,
            name: input.name,
            sshKeyId: sshKey.id,
            createdById: principal.userId,
          });
      const ordered = `Ordered: ${plan.name} in ${region.name} with ${image.name}, key ${sshKey.name}`;
      const details = { region: region.code, plan: plan.code, image: image.slug };
      // The VM's first event, its job and the audit line, the same for both paths.
      const record = async (o: { vm: VirtualMachine; event: string; kind: typeof provisionVmJob; audit: Record<string, unknown> }) => {
        await tx.vmEvent.create({ data: { vmId: o.vm.id, kind: "ordered", message: `${ordered}; ${o.event}` } });
        const { jobId } = await enqueueJob({
          prisma: tx,
          kind: o.kind,
          payload: { vmId: o.vm.id },
          teamId: team.id,
          vmId: o.vm.id,
          hostId: o.vm.hostId ?? undefined,
        });
        await recordAudit({
          prisma: tx,
          ...actorOf(principal),
          action: "vm.order",
          teamId: team.id,
          targetType: "vm",
          targetId: o.vm.id,
          details: { name: o.vm.name, ...details, ...o.audit, jobId },
          meta: opts.meta,
        });
        return jobId;
      };
      if (warm) {
        const jobId = await record({
          vm: warm,
          event: `served from the warm pool (${warm.domainName})`,
          kind: await personaliseJobFor(tx, warm.id),
          audit: { warm: true },
        });
        return { vm: warm, jobId };
      }

      await lockRegion(tx, region.id);
      const placed = placeVm({
        hosts: await loadPlacementHosts({ tx, regionId: region.id, imageId: image.id }),
        request,
        strategy: PLACEMENT_STRATEGY,
      });
      if (!placed.ok) throw capacityRefusal({ region, plan, image, placed });
      const id = randomUUID();
      const vm = await tx.virtualMachine.create({
        data: {
          id,
          teamId: team.id,
          name: input.name,
          regionId: region.id,
          planId: plan.id,
          imageId: image.id,
          sshKeyId: sshKey.id,
          hostId: placed.hostId,
          poolId: placed.poolId,
          placementNote: placed.explanation,
          vcpus: plan.vcpus,
          memoryMb: plan.memoryMb,
          diskGb: plan.diskGb,
          domainName: `skj-${id.replaceAll("-", "").slice(0, 12)}`,
          adminUser: image.adminUser,
          createdById: principal.userId,
          macAddress: await newGuestMac(tx),
        },
      });
      const host = await tx.host.findUniqueOrThrow({ where: { id: placed.hostId } });
      const addresses = await assignVmAddresses({ tx, vm: { ...vm, teamId: team.id }, teamSlug: team.slug, host, regionCode: region.code });
      const nics = await assignPrivateNics({
        tx,
        vm: { id: vm.id, teamId: team.id, regionId: region.id },
        regionCode: region.code,
        host,
        networkIds: privateNetworkIds,
      });
      const privateNote = nics.map((n) => `; ${n.ipv4} on private network ${n.networkName}`).join("");
      const jobId = await record({
        vm,
        event: `host ${placed.hostName} reserved${addressNote(addresses)}${privateNote}`,
        kind: provisionVmJob,
        audit: {
          host: placed.hostName,
          ipv4: addresses.ipv4,
          ipv6: addresses.ipv6Prefix ?? addresses.ipv6Address,
          ...(nics.length ? { privateNetworks: nics.map((n) => ({ name: n.networkName, ipv4: n.ipv4, ipv6: n.ipv6 })) } : {}),
        },
      });
      return { vm: { ...vm, ipAddress: addresses.ipv4, ipv6Address: addresses.ipv6Address, ipv6Prefix: addresses.ipv6Prefix }, jobId };
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
}
