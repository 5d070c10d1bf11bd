import { readPageQuery } from "@/lib/core/pagination";
import { FirewallRuleSetInput } from "@/lib/firewall/schemas";
import { createRuleSet } from "@/lib/vms/firewall/create-rule-set";
import { listRuleSets } from "@/lib/vms/firewall/list-rule-sets";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "read" }, async ({ prisma, principal, req }, { slug }: { slug: string }) =>
  listRuleSets({ prisma, principal, teamSlug: slug, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Members: a new rule set (applied to no VM yet). */
export const POST = apiRoute(
  { team: "operate", body: FirewallRuleSetInput },
  async ({ prisma, principal, meta, body }, { slug }: { slug: string }) =>
    Response.json(await createRuleSet({ prisma, principal, teamSlug: slug, input: body, meta }), { status: 201 }),
);
