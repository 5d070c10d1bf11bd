"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { deleteCluster } from "@/lib/clusters/delete-cluster";
import { orderCluster } from "@/lib/clusters/order-cluster";
import { getPrisma } from "@/lib/db";
import { formObject, runAction, type ActionState } from "../../../../_server/actions";
import { requestMeta, requireUser } from "../../../../_server/request";

/** Orders the cluster and goes to its page. */
export async function orderClusterAction(slug: string, _p: ActionState, form: FormData): Promise<ActionState> {
  let target = "";
  const state = await runAction(async () => {
    const { cluster } = await orderCluster({ prisma: await getPrisma(), principal: await requireUser(), teamSlug: slug, input: formObject(form), meta: await requestMeta() });
    revalidatePath(`/teams/${slug}/clusters`);
    target = `/teams/${encodeURIComponent(slug)}/clusters/${cluster.id}`;
  });
  if (state.ok && target) redirect(target);
  return state;
}

export async function deleteClusterAction(slug: string, clusterId: string, _p: ActionState): Promise<ActionState> {
  return runAction(async () => {
    const { jobIds } = await deleteCluster({ prisma: await getPrisma(), principal: await requireUser(), teamSlug: slug, clusterId, meta: await requestMeta() });
    revalidatePath(`/teams/${slug}/clusters/${clusterId}`);
    return { message: `Deleting: ${jobIds.length} node(s) are being removed.` };
  });
}
