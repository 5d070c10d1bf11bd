"use server";

import { revalidatePath } from "next/cache";
import { createPlan, createRegion, setPlanActive, setRegionActive } from "@/lib/catalog/catalog";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() };
}

export async function createRegionAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const input = formObject(form);
    if (!input.datacenter) delete input.datacenter;
    const c = await ctx();
    const r = await createRegion({ ...c, input });
    const { t } = await getT(c.principal.locale);
    revalidatePath("/admin/regions");
    return { message: t("regions.created", { name: r.name }) };
  });
}

export async function toggleRegionAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await setRegionActive({ ...(await ctx()), code: String(form.get("code")), active: form.get("active") === "1" });
    revalidatePath("/admin/regions");
  });
}

export async function createPlanAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const p = await createPlan({ ...c, input: formObject(form) });
    const { t } = await getT(c.principal.locale);
    revalidatePath("/admin/plans");
    return { message: t("plans.created", { name: p.name }) };
  });
}

export async function togglePlanAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await setPlanActive({ ...(await ctx()), code: String(form.get("code")), active: form.get("active") === "1" });
    revalidatePath("/admin/plans");
  });
}
