import { requireTeam } from "../access/team-access";
import type { Principal } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import { isJurisdictionAllowed } from "../residency/policy";

/** The active backup targets as a team's member sees them: where each is, and whether the team's policy allows it. */
export async function listTeamBackupTargets(opts: { prisma: PrismaClient; principal: Principal; teamSlug: string }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const rows = await opts.prisma.backupTarget.findMany({
    where: { active: true },
    include: { region: true },
    orderBy: { name: "asc" },
    take: 500,
  });
  return rows.map((t) => ({
    name: t.name,
    region: t.region.code,
    regionName: t.region.name,
    country: t.region.country,
    jurisdiction: t.region.jurisdiction,
    allowed: isJurisdictionAllowed(team.residencyPolicy, t.region.jurisdiction),
  }));
}
