"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { createBackupTarget } from "@/lib/backup-targets/create-backup-target";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

export async function createBackupTargetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const principal = await requireUser();
    const target = await createBackupTarget({ prisma: await getPrisma(), principal, meta: await requestMeta(), input: formObject(form) });
    const { t } = await getT(principal.locale);
    revalidatePath("/admin/backup-targets");
    return { message: t("backupTarget.created", { name: target.name, region: target.region }) };
  });
}
