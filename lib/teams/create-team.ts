import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { syncPortalDatabaseLocations } from "../residency/portal-location";
import { getPortalLocation } from "../residency/settings";
import { CreateTeamInput } from "./schemas";

/** Platform admins create teams; the owner, if named, must already have an account. */
export async function createTeam(opts: { prisma: PrismaClient; principal: Principal; input: unknown; meta?: RequestMeta }) {
  requireAdmin(opts.principal);
  const parsed = CreateTeamInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Team");
  const { name, slug, ownerEmail } = parsed.data;
  return opts.prisma.$transaction(async (tx) => {
    if (await tx.team.findUnique({ where: { slug } }))
      throw new AppError("CONFLICT", `A team with the address "${slug}" already exists.`, {
        key: "error.team.slugTaken",
        params: { slug },
      });
    const owner = ownerEmail ? await tx.user.findUnique({ where: { email: ownerEmail } }) : null;
    if (ownerEmail && !owner)
      throw new AppError("VALIDATION", `No account uses ${ownerEmail}. Create the team, then invite them.`, {
        key: "error.team.noAccount",
        params: { ownerEmail },
      });
    const team = await tx.team.create({ data: { name, slug } });
    if (owner) await tx.membership.create({ data: { teamId: team.id, userId: owner.id, role: "OWNER" } });
    // The team's account data lives in the portal's database from now on: a residency fact, once
    // the portal's location is configured (setting it later records every team then).
    const location = await getPortalLocation({ prisma: tx }).catch((e) =>
      e instanceof AppError && e.code === "CONFLICT" ? null : Promise.reject(e),
    );
    if (location) await syncPortalDatabaseLocations({ tx, location, actor: actorOf(opts.principal).actorLabel, teamIds: [team.id] });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "team.create",
      teamId: team.id,
      targetType: "team",
      targetId: team.id,
      details: { slug, name },
      meta: opts.meta,
    });
    return team;
  });
}
