import { z } from "zod";
import type { RequestMeta } from "../access/principal";
import { AppError, fromZod } from "../core/errors";
import { errorMessage, listText } from "../core/error-text";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { ResidencyPolicy } from "../generated/prisma/enums";
import { recordAudit, type AuditInput } from "../audit/record-audit";
import { closeDataLocations } from "./close";
import { openEntries } from "./open-entries";
import { isJurisdictionAllowed, POLICY_LABELS } from "./policy";
import { recordDataLocation } from "./record";
import { PORTAL_LOCATION_SETTING, PortalLocationSchema, type PortalLocation } from "./settings";

// The portal's own database holds every team's account data (members' names and emails, audit
// events), so where the portal runs is where that data lives. Moving it is a ledger fact per team:
// the old location closes and the new one opens, in the same transaction as the setting. A move that
// would put a team's data outside its residency policy is refused.

const Name = z
  .string()
  .trim()
  .max(120)
  .regex(/^[A-Za-z0-9._\-/ ]*$/, "use letters, digits and . _ - /");
export const PortalLocationInputSchema = z.object({
  regionCode: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/, "choose a region"),
  hostName: Name.optional().transform((s) => s || undefined),
});

const PORTAL_DATABASE_NAME = "Portal database (team accounts, members, audit log)";
type Actor = Pick<AuditInput, "actorLabel" | "actorUserId" | "actorTokenId">;

function samePlace(a: { regionCode: string; hostName: string | null }, b: PortalLocation): boolean {
  return a.regionCode === b.regionCode && a.hostName === (b.hostName ?? null);
}

/**
 * Makes the ledger show each team's portal-held account data at `location`: closes other open
 * PORTAL_DATABASE locations and opens this one where missing. Call it inside a transaction (also
 * when a team is created). Returns how many teams got a new location.
 */
export async function syncPortalDatabaseLocations(opts: {
  tx: Prisma.TransactionClient;
  location: PortalLocation;
  actor: string;
  teamIds?: string[];
}): Promise<number> {
  const { tx, location, actor } = opts;
  const teams = await tx.team.findMany({
    where: opts.teamIds ? { id: { in: opts.teamIds } } : {},
    select: { id: true },
    orderBy: { id: "asc" },
  });
  let moved = 0;
  for (const team of teams) {
    const rows = await tx.dataLocation.findMany({
      where: { resourceId: team.id, resourceKind: "PORTAL_DATABASE" },
      orderBy: { seq: "asc" },
    });
    const open = openEntries(rows);
    if (open.length === 1 && samePlace(open[0]!, location)) continue;
    if (open.length) await closeDataLocations({ prisma: tx, resourceId: team.id, resourceKinds: ["PORTAL_DATABASE"], actor });
    await recordDataLocation({
      prisma: tx,
      teamId: team.id,
      resourceKind: "PORTAL_DATABASE",
      resourceId: team.id,
      resourceName: PORTAL_DATABASE_NAME,
      regionCode: location.regionCode,
      hostName: location.hostName,
      actor,
    });
    moved++;
  }
  return moved;
}

/** Sets Setting `portal.location`, moves every team's portal-held data in the ledger, audits it. */
export async function changePortalLocation(opts: {
  prisma: PrismaClient;
  input: unknown;
  actor: Actor;
  meta?: RequestMeta;
}): Promise<{ location: PortalLocation; teamsMoved: number }> {
  const parsed = PortalLocationInputSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid portal location");
  const location = PortalLocationSchema.parse(parsed.data);
  return opts.prisma.$transaction(async (tx) => {
    const region = await tx.region.findUnique({ where: { code: location.regionCode } });
    if (!region)
      throw new AppError("VALIDATION", `Invalid portal location: region ${location.regionCode} does not exist`, {
        key: "error.residency.portalRegionMissing",
        params: { regionCode: location.regionCode },
      });
    // Lock every team row, as a policy change does, so no team tightens its policy mid-move.
    const teams = await tx.$queryRaw<{ slug: string; policy: ResidencyPolicy }[]>`
      SELECT slug, "residencyPolicy"::text AS policy FROM "Team" ORDER BY id FOR UPDATE`;
    const refused = teams.filter((t) => !isJurisdictionAllowed(t.policy, region.jurisdiction));
    if (refused.length) {
      const teamsText = listText(
        refused.slice(0, 10).map((t) => ({
          message: `${t.slug} (${POLICY_LABELS[t.policy]})`,
          code: "TEXT",
          key: "error.residency.teamPolicy" as const,
          params: { slug: t.slug, policy: t.policy },
        })),
        refused.length > 10,
      );
      const params = {
        region: region.name,
        regionCode: region.code,
        jurisdiction: region.jurisdiction,
        count: refused.length,
        teams: teamsText,
      };
      throw new AppError("POLICY_VIOLATION", errorMessage("error.residency.portalMoveRefused", params), {
        key: "error.residency.portalMoveRefused",
        params,
        details: { region: region.code, teams: refused.map((t) => ({ slug: t.slug, policy: t.policy })) },
      });
    }
    const previous = await tx.setting.findUnique({ where: { key: PORTAL_LOCATION_SETTING } });
    await tx.setting.upsert({
      where: { key: PORTAL_LOCATION_SETTING },
      create: { key: PORTAL_LOCATION_SETTING, value: location },
      update: { value: location },
    });
    const teamsMoved = await syncPortalDatabaseLocations({ tx, location, actor: opts.actor.actorLabel });
    await recordAudit({
      prisma: tx,
      action: "portal.location.change",
      ...opts.actor,
      targetType: "setting",
      targetId: PORTAL_LOCATION_SETTING,
      details: { from: previous?.value ?? null, to: location, teamsMoved },
      meta: opts.meta,
    });
    return { location, teamsMoved };
  });
}
