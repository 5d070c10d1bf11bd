"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { revokeSession, SESSION_COOKIE } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/record-audit";
import { getPrisma } from "@/lib/db";
import { setLocale } from "@/lib/users/account";
import { LOCALE_COOKIE } from "@/app/_i18n/server";
import { currentUser, requestMeta } from "@/app/_server/request";

export async function signOutAction() {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  const prisma = await getPrisma();
  const user = await currentUser();
  if (token) await revokeSession({ prisma, token });
  if (user)
    await recordAudit({ prisma, actorUserId: user.userId, actorLabel: user.email, action: "auth.sign_out", meta: await requestMeta() });
  jar.delete(SESSION_COOKIE);
  redirect("/sign-in");
}

export async function switchLanguageAction(form: FormData) {
  const locale = form.get("locale") === "nb" ? "nb" : "en";
  const jar = await cookies();
  jar.set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 86400 });
  const user = await currentUser();
  if (user) await setLocale({ prisma: await getPrisma(), principal: user, locale });
  const back = String(form.get("back") ?? "/");
  redirect(back.startsWith("/") && !back.startsWith("//") ? back : "/");
}
