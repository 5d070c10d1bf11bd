"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getPrisma } from "@/lib/db";
import { placeOrder } from "@/lib/vms/order/place-order";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

/** The form's fields as the API's order: the private networks ticked, as a list (left out when none). */
function orderOf(form: FormData) {
  const ids = form.getAll("privateNetworkIds").map(String);
  const { privateNetworkIds: _one, ...rest } = formObject(form);
  return ids.length ? { ...rest, privateNetworkIds: ids } : rest;
}

/** Places the order and goes to the new VM's page, where its provisioning shows live. */
export async function placeOrderAction(slug: string, _p: ActionState, form: FormData): Promise<ActionState> {
  let target = "";
  const state = await runAction(async () => {
    const user = await requireUser();
    const { vm } = await placeOrder({
      prisma: await getPrisma(),
      principal: user,
      teamSlug: slug,
      input: orderOf(form),
      meta: await requestMeta(),
    });
    revalidatePath(`/teams/${slug}/vms`);
    target = `/teams/${encodeURIComponent(slug)}/vms/${vm.id}`;
  });
  if (state.ok && target) redirect(target);
  return state;
}
