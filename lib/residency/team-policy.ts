import { requireTeam } from "../access/team-access";
import { actorOf } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { changeResidencyPolicy } from "./change-policy";
import { describePolicies, POLICY_LABELS, regionsAllowedBy } from "./policy";
import { PolicyChangeInput } from "./policy-input";

// A team's residency policy as its members and API tokens see and change it: authorised by the
// principal's role in the team (404 for other teams), the change audited with the request's origin.

/** Active regions, as the policy picker and the policy table show them. */
export function listPolicyRegions({ prisma }: { prisma: PrismaClient }) {
  return prisma.region.findMany({
    where: { active: true },
    select: { code: true, name: true, city: true, country: true, jurisdiction: true },
    orderBy: { code: "asc" },
  });
}

/** The team's policy, the regions it allows, and what each policy would allow (any member). */
export async function getTeamResidencyPolicy(opts: { prisma: PrismaClient; principal: Principal; teamSlug: string }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const regions = await listPolicyRegions(opts);
  return {
    policy: team.residencyPolicy,
    label: POLICY_LABELS[team.residencyPolicy],
    allowedRegions: regionsAllowedBy(team.residencyPolicy, regions),
    policies: describePolicies(regions),
  };
}

/** Changes the policy (owners); POLICY_VIOLATION lists what lies outside the new one (details.violations). */
export async function changeTeamResidencyPolicy(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}) {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "manage" });
  const body = PolicyChangeInput.safeParse(opts.input);
  if (!body.success) throw fromZod(body.error, "Invalid policy change");
  const actor = actorOf(principal);
  const result = await changeResidencyPolicy({
    prisma,
    teamId: team.id,
    policy: body.data.policy,
    meta: opts.meta,
    actor: { label: actor.actorLabel, userId: actor.actorUserId, tokenId: actor.actorTokenId },
  });
  return { ...result, label: POLICY_LABELS[result.policy] };
}
