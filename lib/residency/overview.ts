import { requireAdmin, requireTeam, roleCan } from "../access/team-access";
import type { Principal } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import { readLedgerIntegrity } from "./integrity";
import { listReportExports } from "./report-response";
import { getConfiguredPortalLocation, getOperatorDetails } from "./settings";
import { listPolicyRegions } from "./team-policy";
import { readResidencyView } from "./view";

// What the two residency pages show, read in one call each so the pages never query the database
// themselves: the policy and regions, where the data is at the chosen date, recent exports, and the
// ledger's integrity as the recorded verifications state it.

async function readResidency(prisma: PrismaClient, teamId: string | null, asOf: Date | null) {
  const [view, exports, integrity] = await Promise.all([
    asOf ? readResidencyView({ prisma, teamId: teamId ?? undefined, asOf }) : null,
    listReportExports({ prisma, teamId }),
    readLedgerIntegrity({ prisma }),
  ]);
  return { view, exports, integrity };
}

/** For /teams/{slug}/residency: any member sees the policy; owners and auditors (audit) the rest. asOf null: a date that was not valid. */
export async function getTeamResidencyOverview(opts: { prisma: PrismaClient; principal: Principal; teamSlug: string; asOf: Date | null }) {
  const { prisma } = opts;
  const { team, role } = await requireTeam({ prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const regions = await listPolicyRegions({ prisma });
  const residency = roleCan(role, "audit") ? await readResidency(prisma, team.id, opts.asOf) : null;
  return { team, role, regions, residency };
}

/** For /admin/residency (platform admins): the same for all teams, plus the operator and portal location forms. */
export async function getPlatformResidencyOverview(opts: { prisma: PrismaClient; principal: Principal; asOf: Date | null }) {
  const { prisma } = opts;
  requireAdmin(opts.principal);
  const [regions, operator, portalLocation] = await Promise.all([
    listPolicyRegions({ prisma }),
    getOperatorDetails({ prisma }).catch(() => null),
    getConfiguredPortalLocation({ prisma }),
  ]);
  return { regions, operator, portalLocation, residency: await readResidency(prisma, null, opts.asOf) };
}
