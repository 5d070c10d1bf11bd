"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { createSession, SESSION_COOKIE } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { acceptInvitation } from "@/lib/teams/invitations";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { currentUser, requestMeta, sessionCookieOptions } from "@/app/_server/request";

export async function acceptInvitationAction(_p: ActionState, form: FormData): Promise<ActionState> {
  let slug = "";
  const state = await runAction(async () => {
    const prisma = await getPrisma();
    const meta = await requestMeta();
    const signedIn = await currentUser();
    const { user, team } = await acceptInvitation({ prisma, input: formObject(form), signedInUserId: signedIn?.userId, meta });
    if (!signedIn) {
      const s = await createSession({ prisma, userId: user.id, mfaVerified: true, ip: meta.ip, userAgent: meta.userAgent });
      (await cookies()).set(SESSION_COOKIE, s.token, sessionCookieOptions(s.expiresAt));
    }
    slug = team.slug;
  });
  if (state.ok) redirect(`/teams/${slug}`);
  return state;
}
