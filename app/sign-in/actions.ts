"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { completeSecondFactor, signIn } from "@/lib/auth/sign-in";
import { getPrisma } from "@/lib/db";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, sessionCookieOptions } from "@/app/_server/request";

export async function signInAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let next = "/teams";
  const state = await runAction(async () => {
    const result = await signIn({ prisma: await getPrisma(), input: formObject(form), meta: await requestMeta() });
    (await cookies()).set(SESSION_COOKIE, result.token, sessionCookieOptions(result.expiresAt));
    if (result.needsSecondFactor) next = "/sign-in/verify";
  });
  if (state.ok) redirect(next);
  return state;
}

export async function verifyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await runAction(async () => {
    const token = (await cookies()).get(SESSION_COOKIE)?.value ?? "";
    await completeSecondFactor({ prisma: await getPrisma(), token, code: form.get("code"), meta: await requestMeta() });
  });
  if (state.ok) redirect("/teams");
  return state;
}
