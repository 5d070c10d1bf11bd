"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { retryCluster } from "@/lib/clusters/provision/retry-cluster";
import { setClusterApiAccess } from "@/lib/clusters/api-access/set-cluster-api-access";
import { verifyClusterNow } from "@/lib/clusters/verify/verify-cluster-now";
import { deleteCluster } from "@/lib/clusters/delete/delete-cluster";
import { orderCluster } from "@/lib/clusters/order/order-cluster";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";
import { AGENTS, parseAgentCount } from "./agent-count";
import { apiAllowFromRefusal, parseApiAllowFrom } from "./api-allow-from";

/** Orders the cluster and goes to its page. A bad "Agent nodes" value is refused here, before anything is ordered. */
export async function orderClusterAction(slug: string, _p: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser();
  const { agentCount: rawAgents, apiAllowFrom: rawApi, ...fields } = formObject(form);
  const agentCount = parseAgentCount(rawAgents);
  const api = parseApiAllowFrom(rawApi);
  if (agentCount === null || !api.ok) {
    const { t } = await getT(user.locale);
    if (!api.ok) return { ok: false, error: apiAllowFromRefusal(t, api) };
    return { ok: false, error: t("cluster.agentsInvalid", { min: String(AGENTS.min), max: String(AGENTS.max) }) };
  }
  let target = "";
  const state = await runAction(async () => {
    const { cluster } = await orderCluster({
      prisma: await getPrisma(),
      principal: user,
      teamSlug: slug,
      input: { ...fields, agentCount, apiAllowFrom: api.networks },
      meta: await requestMeta(),
    });
    revalidatePath(`/teams/${slug}/clusters`);
    target = `/teams/${encodeURIComponent(slug)}/clusters/${cluster.id}`;
  });
  if (state.ok && target) redirect(target);
  return state;
}

export async function deleteClusterAction(slug: string, clusterId: string, _p: ActionState): Promise<ActionState> {
  const user = await requireUser();
  return runAction(async () => {
    const { jobIds } = await deleteCluster({
      prisma: await getPrisma(),
      principal: user,
      teamSlug: slug,
      clusterId,
      meta: await requestMeta(),
    });
    revalidatePath(`/teams/${slug}/clusters/${clusterId}`);
    revalidatePath(`/teams/${slug}/clusters`);
    const { t } = await getT(user.locale);
    return { message: t("cluster.deleting", { count: String(jobIds.length) }) };
  });
}

/** Re-runs a ready cluster's checks ("cluster.verify"); the new reports show up when it finishes. */
export async function verifyClusterAction(slug: string, clusterId: string, _p: ActionState): Promise<ActionState> {
  const user = await requireUser();
  return runAction(async () => {
    await verifyClusterNow({ prisma: await getPrisma(), principal: user, teamSlug: slug, clusterId, meta: await requestMeta() });
    const { t } = await getT(user.locale);
    return { message: t("cluster.verifying") };
  });
}

/** Provisions a failed cluster again (e.g. once the operator placed the missing air-gap file). */
export async function retryClusterAction(slug: string, clusterId: string, _p: ActionState): Promise<ActionState> {
  const user = await requireUser();
  return runAction(async () => {
    await retryCluster({ prisma: await getPrisma(), principal: user, teamSlug: slug, clusterId, meta: await requestMeta() });
    revalidatePath(`/teams/${slug}/clusters/${clusterId}`);
  });
}

/** Sets the networks the API is open to; a ready cluster's firewall is re-applied by its provisioning job. */
export async function setClusterApiAccessAction(slug: string, clusterId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const api = parseApiAllowFrom(formObject(form).apiAllowFrom);
  if (!api.ok) return { ok: false, error: apiAllowFromRefusal(t, api) };
  return runAction(async () => {
    const r = await setClusterApiAccess({
      prisma: await getPrisma(),
      principal: user,
      teamSlug: slug,
      clusterId,
      input: { apiAllowFrom: api.networks },
      meta: await requestMeta(),
    });
    revalidatePath(`/teams/${slug}/clusters/${clusterId}`);
    return { message: t(!r.changed ? "cluster.apiAccessUnchanged" : r.jobId ? "cluster.apiAccessApplying" : "cluster.apiAccessSaved") };
  });
}
