"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { addSshKey, deleteSshKey } from "@/lib/users/ssh-keys";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() };
}

export async function addSshKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const key = await addSshKey({ ...c, input: formObject(form) });
    revalidatePath("/account/keys");
    return { message: (await getT(c.principal.locale)).t("keys.added", { name: key.name, fingerprint: key.fingerprint }) };
  });
}

export async function deleteSshKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await deleteSshKey({ ...(await ctx()), keyId: String(form.get("keyId") ?? "") });
    revalidatePath("/account/keys");
  });
}
