import { changeTeamResidencyPolicy, getTeamResidencyPolicy } from "@/lib/residency";
import { PolicyChangeInput } from "@/lib/residency/policy-input";
import { apiRoute } from "@/app/_server/api";

/** The team's policy, the regions it allows, and what each policy would allow. */
export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => {
  return getTeamResidencyPolicy({ prisma, principal, teamSlug: slug });
});

/** Changes the policy (owners); 409 POLICY_VIOLATION with details.violations when resources lie outside it. */
export const PUT = apiRoute({ body: PolicyChangeInput }, async ({ prisma, principal, meta, body }, { slug }: { slug: string }) =>
  changeTeamResidencyPolicy({ prisma, principal, teamSlug: slug, input: body, meta }),
);
