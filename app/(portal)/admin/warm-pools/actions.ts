"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { setWarmPool } from "@/lib/vms/warm/set-warm-pool";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

export async function setWarmPoolAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const principal = await requireUser();
    const input = { ...formObject(form), size: Number(form.get("size")) };
    const pool = await setWarmPool({ prisma: await getPrisma(), principal, meta: await requestMeta(), input });
    const { t } = await getT(principal.locale);
    revalidatePath("/admin/warm-pools");
    return { message: t("warm.saved", { pool: `${pool.region}/${pool.plan}/${pool.image}`, size: pool.size }) };
  });
}
