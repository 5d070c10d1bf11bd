"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { addSigningKey, deleteSigningKey } from "@/lib/teams/signing-keys";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx(form: FormData) {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta(), teamSlug: String(form.get("slug") ?? "") };
}

export async function addSigningKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    const { slug: _slug, ...input } = formObject(form);
    const key = await addSigningKey({ ...c, input });
    revalidatePath(`/teams/${c.teamSlug}/signing-keys`);
    const { t } = await getT(c.principal.locale);
    const vars = { name: key.name, fingerprint: key.fingerprint, count: key.clustersUpdated };
    return { message: t(key.clustersUpdated ? "signingKeys.registeredKeyClusters" : "signingKeys.registeredKey", vars) };
  });
}

export async function deleteSigningKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    await deleteSigningKey({ ...c, keyId: String(form.get("keyId") ?? "") });
    revalidatePath(`/teams/${c.teamSlug}/signing-keys`);
  });
}
