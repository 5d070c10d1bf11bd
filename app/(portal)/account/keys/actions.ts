"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { addSshKey, deleteSshKey } from "@/lib/users/ssh-keys";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() };
}

export async function addSshKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const key = await addSshKey({ ...(await ctx()), input: formObject(form) });
    revalidatePath("/account/keys");
    return { message: `Key "${key.name}" added (${key.fingerprint}).` };
  });
}

export async function deleteSshKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await deleteSshKey({ ...(await ctx()), keyId: String(form.get("keyId") ?? "") });
    revalidatePath("/account/keys");
  });
}
