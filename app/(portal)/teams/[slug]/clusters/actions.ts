"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { deleteCluster } from "@/lib/clusters/delete-cluster";
import { orderCluster } from "@/lib/clusters/order-cluster";
import { getPrisma } from "@/lib/db";
import { getT } from "../../../../_i18n/server";
import { formObject, runAction, type ActionState } from "../../../../_server/actions";
import { requestMeta, requireUser } from "../../../../_server/request";
import { AGENTS, parseAgentCount } from "./agent-count";

/** Orders the cluster and goes to its page. A bad "Agent nodes" value is refused here, before anything is ordered. */
export async function orderClusterAction(slug: string, _p: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser();
  const { agentCount: rawAgents, ...fields } = formObject(form);
  const agentCount = parseAgentCount(rawAgents);
  if (agentCount === null) {
    const { t } = await getT(user.locale);
    return { ok: false, error: t("cluster.agentsInvalid", { min: String(AGENTS.min), max: String(AGENTS.max) }) };
  }
  let target = "";
  const state = await runAction(async () => {
    const { cluster } = await orderCluster({ prisma: await getPrisma(), principal: user, teamSlug: slug, input: { ...fields, agentCount }, meta: await requestMeta() });
    revalidatePath(`/teams/${slug}/clusters`);
    target = `/teams/${encodeURIComponent(slug)}/clusters/${cluster.id}`;
  });
  if (state.ok && target) redirect(target);
  return state;
}

export async function deleteClusterAction(slug: string, clusterId: string, _p: ActionState): Promise<ActionState> {
  const user = await requireUser();
  return runAction(async () => {
    const { jobIds } = await deleteCluster({ prisma: await getPrisma(), principal: user, teamSlug: slug, clusterId, meta: await requestMeta() });
    revalidatePath(`/teams/${slug}/clusters/${clusterId}`);
    revalidatePath(`/teams/${slug}/clusters`);
    const { t } = await getT(user.locale);
    return { message: t("cluster.deleting", { count: String(jobIds.length) }) };
  });
}
