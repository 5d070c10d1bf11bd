import { requireTeam } from "../../access/team-access";
import { placeVm, type RefusalCause } from "../../placement/place-vm";
import { loadPlacementHosts } from "../../placement/region-snapshot";
import { isJurisdictionAllowed } from "../../residency/policy";
import type { TeamRequest } from "../shared/find-team-vm";
import { readTeamUsage, teamLimits } from "./team-usage";

/** Everything the order page offers, with what the team's policy, capacity and quota allow. */
export async function orderOptions(opts: TeamRequest) {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "operate" });
  const [regions, plans, images, sshKeys, used] = await Promise.all([
    prisma.region.findMany({ where: { active: true }, orderBy: [{ country: "desc" }, { name: "asc" }] }),
    prisma.plan.findMany({ where: { active: true }, orderBy: [{ vcpus: "asc" }, { memoryMb: "asc" }] }),
    prisma.image.findMany({ where: { active: true }, orderBy: { name: "asc" } }),
    prisma.sshKey.findMany({
      where: { userId: principal.userId },
      orderBy: { name: "asc" },
      select: { id: true, name: true, keyType: true, bits: true, fingerprint: true },
    }),
    readTeamUsage(prisma, team.id),
  ]);
  const smallest = plans[0];
  // "ok", or why the smallest plan fits nowhere: no healthy host (an outage) reads differently from full.
  const withCapacity = await Promise.all(
    regions.map(async (r): Promise<"ok" | RefusalCause> => {
      if (!smallest) return "no-room";
      const request = { regionCode: r.code, vcpus: smallest.vcpus, memoryMb: smallest.memoryMb, diskGb: smallest.diskGb };
      let cause: RefusalCause = "no-hosts";
      for (const image of images) {
        const hosts = await loadPlacementHosts({ tx: prisma, regionId: r.id, imageId: image.id });
        const placed = placeVm({ hosts, request, strategy: "spread" });
        if (placed.ok) return "ok";
        cause = placed.cause;
      }
      return cause;
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
      hasCapacity: withCapacity[i] === "ok",
      noHealthyHost: withCapacity[i] === "no-healthy-host",
    })),
    plans: plans.map((p) => ({
      code: p.code,
      name: p.name,
      vcpus: p.vcpus,
      memoryMb: p.memoryMb,
      diskGb: p.diskGb,
      priceNokMonthly: p.priceNokMonthly,
    })),
    images: images.map((i) => ({ slug: i.slug, name: i.name, os: i.os, version: i.version })),
    sshKeys,
    quota: { limits: teamLimits(team), used },
  };
}
