"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { beginTotpEnrolment, changePassword, confirmTotpEnrolment, signOutEverywhere } from "@/lib/users/account";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

export async function changePasswordAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await changePassword({ prisma: await getPrisma(), principal: await requireUser(), input: formObject(form), meta: await requestMeta() });
    return { message: "Password changed. Your other sessions were signed out." };
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
    await confirmTotpEnrolment({
      prisma: await getPrisma(),
      principal: await requireUser(),
      code: String(form.get("code") ?? ""),
      meta: await requestMeta(),
    });
    return { message: "Two-factor sign-in is on." };
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
