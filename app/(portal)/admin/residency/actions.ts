"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { getPrisma } from "@/lib/db";
import { acknowledgeLedgerBreak, verifyPlatformLedger } from "@/lib/residency";
import { changeOperatorDetails } from "@/lib/residency/operator-settings";
import { changePortalLocation } from "@/lib/residency/portal-location";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";
import { verificationMessage } from "@/app/(portal)/teams/[slug]/residency/_ui/verify";

async function adminCtx() {
  const principal = await requireUser();
  requireAdmin(principal);
  return { prisma: await getPrisma(), actor: actorOf(principal), meta: await requestMeta() };
}

async function translate() {
  return (await getT((await requireUser()).locale)).t;
}

export async function saveOperatorAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const saved = await changeOperatorDetails({ ...(await adminCtx()), input: formObject(form) });
    revalidatePath("/admin/residency");
    return { message: (await translate())("residency.operatorSaved", { company: saved.company }) };
  });
}

export async function setPortalLocationAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { location, teamsMoved } = await changePortalLocation({ ...(await adminCtx()), input: formObject(form) });
    revalidatePath("/admin/residency");
    const where = `${location.regionCode}${location.hostName ? ` (${location.hostName})` : ""}`;
    return { message: (await translate())("residency.locationSet", { location: where, count: teamsMoved }) };
  });
}

export async function verifyPlatformLedgerAction(): Promise<ActionState> {
  return runAction(async () => {
    const result = await verifyPlatformLedger({ prisma: await getPrisma(), principal: await requireUser() });
    revalidatePath("/admin/residency");
    return verificationMessage(await translate(), result);
  });
}

export async function acknowledgeBreakAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const principal = await requireUser();
    await acknowledgeLedgerBreak({ prisma: await getPrisma(), principal, input: formObject(form), meta: await requestMeta() });
    revalidatePath("/admin/residency");
    const { t } = await getT(principal.locale);
    return { message: t("residency.acknowledgeDone") };
  });
}
