"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { createIpPool } from "@/lib/network/create-ip-pool";
import { deleteIpPool } from "@/lib/network/delete-ip-pool";
import { poolInputFromForm } from "@/lib/network/pool-input";
import { setQuarantineSeconds } from "@/lib/network/set-quarantine";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  const principal = await requireUser();
  return { prisma: await getPrisma(), principal, meta: await requestMeta(), t: (await getT(principal.locale)).t };
}

const done = () => revalidatePath("/admin/networks");

/** A refusal comes back with a message per field (cidr, gateway, hostName…), shown next to each. */
export async function createPoolAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    const pool = await createIpPool({ ...c, input: poolInputFromForm(formObject(form)) });
    done();
    return { message: t("networks.created", { name: pool.name, cidr: pool.cidr }) };
  });
}

export async function deletePoolAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    const { deleted } = await deleteIpPool({ ...c, id: String(form.get("id") ?? "") });
    done();
    return { message: t("networks.deleted", { name: deleted }) };
  });
}

/** The page asks in hours; the setting is kept in seconds. */
export async function setQuarantineAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    const hours = String(form.get("hours") ?? "").trim();
    const seconds = /^\d+(\.\d+)?$/.test(hours) ? Math.round(Number(hours) * 3600) : hours;
    const { quarantineSeconds } = await setQuarantineSeconds({ ...c, input: { quarantineSeconds: seconds } });
    done();
    return { message: t("networks.quarantineSaved", { hours: String(quarantineSeconds / 3600) }) };
  });
}
