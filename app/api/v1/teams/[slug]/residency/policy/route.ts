import { requireTeam } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { fromZod } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";
import { changeResidencyPolicy, describePolicies, POLICY_LABELS, regionsAllowedBy } from "@/lib/residency";
import { PolicyChangeInput } from "@/lib/residency/policy-input";
import { apiRoute } from "@/app/_server/api";

const regionFields = { code: true, name: true, city: true, country: true, jurisdiction: true } as const;

/** The team's policy, the regions it allows, and what each policy would allow. */
export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => {
  const { team } = await requireTeam({ prisma, principal, slug, need: "read" });
  const regions = await prisma.region.findMany({ where: { active: true }, select: regionFields, orderBy: { code: "asc" } });
  return {
    policy: team.residencyPolicy,
    label: POLICY_LABELS[team.residencyPolicy],
    allowedRegions: regionsAllowedBy(team.residencyPolicy, regions),
    policies: describePolicies(regions),
  };
});

/** Changes the policy (owners); 409 POLICY_VIOLATION with details.violations when resources lie outside it. */
export const PUT = apiRoute<{ slug: string }>(async ({ prisma, principal, req }, { slug }) => {
  const { team } = await requireTeam({ prisma, principal, slug, need: "manage" });
  const body = PolicyChangeInput.safeParse(await readJsonBody(req));
  if (!body.success) throw fromZod(body.error, "Invalid policy change");
  const actor = actorOf(principal);
  const result = await changeResidencyPolicy({
    prisma,
    teamId: team.id,
    policy: body.data.policy,
    actor: { label: actor.actorLabel, userId: actor.actorUserId, tokenId: actor.actorTokenId },
  });
  return { ...result, label: POLICY_LABELS[result.policy] };
});
