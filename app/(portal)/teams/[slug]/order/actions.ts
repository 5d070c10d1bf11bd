"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { placeOrder } from "@/lib/vms/order/place-order";
import { orderRefusalText } from "@/app/_i18n/order-refusal";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

/** Places the order and goes to the new VM's page, where its provisioning shows live. */
export async function placeOrderAction(slug: string, _p: ActionState, form: FormData): Promise<ActionState> {
  let target = "";
  const state = await runAction(async () => {
    const user = await requireUser();
    const { vm } = await placeOrder({
      prisma: await getPrisma(),
      principal: user,
      teamSlug: slug,
      input: formObject(form),
      meta: await requestMeta(),
    }).catch(async (err: unknown) => {
      // A capacity refusal says why in the user's language: no healthy host (and since when) or no room.
      const text =
        err instanceof AppError && err.code === "NO_CAPACITY" && orderRefusalText({ t: (await getT(user.locale)).t, details: err.details });
      throw text ? new AppError("NO_CAPACITY", text, { details: err instanceof AppError ? err.details : undefined }) : err;
    });
    revalidatePath(`/teams/${slug}/vms`);
    target = `/teams/${encodeURIComponent(slug)}/vms/${vm.id}`;
  });
  if (state.ok && target) redirect(target);
  return state;
}
