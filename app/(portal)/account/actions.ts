"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { beginTotpEnrolment, changePassword, confirmTotpEnrolment, signOutEverywhere } from "@/lib/users/account";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

export async function changePasswordAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const principal = await requireUser();
    await changePassword({ prisma: await getPrisma(), principal, input: formObject(form), meta: await requestMeta() });
    return { message: (await getT(principal.locale)).t("account.passwordChanged") };
  });
}

export async function beginTotpAction(_p: ActionState): Promise<ActionState> {
  return runAction(async () => {
    const { secret, uri } = await beginTotpEnrolment({ prisma: await getPrisma(), principal: await requireUser() });
    return { secret: `${secret}\n${uri}` };
  });
}

export async function confirmTotpAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const principal = await requireUser();
    await confirmTotpEnrolment({ prisma: await getPrisma(), principal, code: String(form.get("code") ?? ""), meta: await requestMeta() });
    return { message: (await getT(principal.locale)).t("account.totpOn") };
  });
}

export async function signOutEverywhereAction(_p: ActionState): Promise<ActionState> {
  const state = await runAction(async () => {
    await signOutEverywhere({ prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() });
    (await cookies()).delete(SESSION_COOKIE);
  });
  if (state.ok) redirect("/sign-in");
  return state;
}
