import { requireTeam } from "../../access/team-access";
import type { Principal } from "../../access/principal";
import { notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { getJobSnapshot } from "../../jobs/watch";
import { placeVm } from "../../placement/place-vm";
import { loadPlacementHosts } from "../../placement/region-snapshot";
import { isJurisdictionAllowed } from "../../residency/policy";
import { describeSshAccess } from "./ssh-access";
import { readTeamUsage, teamLimits } from "../order/team-usage";

interface TeamQuery {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
}

/** Everything the order page offers, with what the team's policy, capacity and quota allow. */
export async function orderOptions(opts: TeamQuery) {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const [regions, plans, images, sshKeys, used] = await Promise.all([
    prisma.region.findMany({ where: { active: true }, orderBy: [{ country: "desc" }, { name: "asc" }] }),
    prisma.plan.findMany({ where: { active: true }, orderBy: [{ vcpus: "asc" }, { memoryMb: "asc" }] }),
    prisma.image.findMany({ where: { active: true }, orderBy: { name: "asc" } }),
    prisma.sshKey.findMany({ where: { userId: principal.userId }, orderBy: { name: "asc" }, select: { id: true, name: true, keyType: true, bits: true, fingerprint: true } }),
    readTeamUsage(prisma, team.id),
  ]);
  const smallest = plans[0];
  const withCapacity = await Promise.all(
    regions.map(async (r) => {
      if (!smallest) return false;
      const request = { regionCode: r.code, vcpus: smallest.vcpus, memoryMb: smallest.memoryMb, diskGb: smallest.diskGb };
      for (const image of images) {
        const hosts = await loadPlacementHosts({ tx: prisma, regionId: r.id, imageId: image.id });
        if (placeVm({ hosts, request, strategy: "spread" }).ok) return true;
      }
      return false;
    }),
  );
  return {
    policy: team.residencyPolicy,
    regions: regions.map((r, i) => ({
      code: r.code,
      name: r.name,
      city: r.city,
      country: r.country,
      jurisdiction: r.jurisdiction,
      allowedByPolicy: isJurisdictionAllowed(team.residencyPolicy, r.jurisdiction),
      hasCapacity: withCapacity[i]!,
    })),
    plans: plans.map((p) => ({ code: p.code, name: p.name, vcpus: p.vcpus, memoryMb: p.memoryMb, diskGb: p.diskGb, priceNokMonthly: p.priceNokMonthly })),
    images: images.map((i) => ({ slug: i.slug, name: i.name, os: i.os, version: i.version })),
    sshKeys,
    quota: { limits: teamLimits(team), used },
  };
}

const VM_SUMMARY = {
  id: true, name: true, state: true, vcpus: true, memoryMb: true, diskGb: true, sshHost: true, sshPort: true, adminUser: true,
  lastError: true, createdAt: true, readyAt: true, deletedAt: true,
  region: { select: { code: true, name: true, city: true, country: true, jurisdiction: true } },
  plan: { select: { code: true, name: true } },
  image: { select: { slug: true, name: true } },
  host: { select: { name: true } },
} as const;

/** The team's VMs, newest first; deleted ones stay listed as history. */
export async function listVms(opts: TeamQuery) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return opts.prisma.virtualMachine.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "desc" }, select: VM_SUMMARY });
}

/** One VM with its jobs (steps included), events, latest hardening report and how to SSH to it. */
export async function getVmDetail(opts: TeamQuery & { vmId: string }) {
  const { prisma } = opts;
  const { team } = await requireTeam({ prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId)
    ? await prisma.virtualMachine.findUnique({
        where: { id: opts.vmId },
        select: {
          ...VM_SUMMARY, teamId: true, domainName: true, diskVolume: true, seedVolume: true, placementNote: true,
          guestHostKey: true, guestHostKeyFingerprint: true, updatedAt: true,
          host: { select: { name: true, address: true, port: true, username: true, networkMode: true, accelerator: true } },
          sshKey: { select: { id: true, name: true, fingerprint: true } },
          events: { orderBy: { id: "asc" }, take: 500, select: { id: true, at: true, kind: true, message: true } },
          reports: { orderBy: { createdAt: "desc" }, take: 1 },
        },
      })
    : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found");
  const jobRows = await prisma.job.findMany({ where: { vmId: vm.id }, orderBy: { createdAt: "desc" }, take: 10, select: { id: true } });
  const jobs = (await Promise.all(jobRows.map((j) => getJobSnapshot({ prisma, jobId: j.id })))).filter((j) => j !== null);
  const { reports, teamId: _teamId, events, ...rest } = vm;
  return {
    ...rest,
    events: events.map((e) => ({ ...e, id: e.id.toString() })),
    hardeningReport: reports[0] ?? null,
    jobs,
    ...describeSshAccess(vm),
  };
}

/** The VM's latest guest hardening report, whole (for export); 404 when there is none yet. */
export async function latestVmHardeningReport(opts: TeamQuery & { vmId: string }) {
  const { prisma } = opts;
  const { team } = await requireTeam({ prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId) ? await prisma.virtualMachine.findUnique({ where: { id: opts.vmId }, select: { id: true, name: true, teamId: true } }) : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found");
  const r = await prisma.hardeningReport.findFirst({ where: { vmId: vm.id, scope: "guest" }, orderBy: { createdAt: "desc" } });
  if (!r) throw notFound(`${vm.name} has no hardening report yet`);
  return { vm: vm.name, vmId: vm.id, scope: r.scope, createdAt: r.createdAt, passed: r.passed, failed: r.failed, notApplicable: r.notApplicable, driftFrom: r.driftFrom ? r.driftFrom.split(",") : [], controls: r.controls };
}
