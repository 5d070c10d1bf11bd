import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { getPrisma } from "@/lib/db";
import { findInvitation } from "@/lib/teams/invitations";
import { getT } from "@/app/_i18n/server";
import { currentUser } from "@/app/_server/request";
import { acceptInvitationAction } from "./actions";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { t } = await getT();
  const found = await findInvitation({ prisma: await getPrisma(), token });
  const user = await currentUser();
  if (!found) {
    return (
      <main id="main">
        <div className="card auth-box">
          <p className="alert error">{t("invite.invalid")}</p>
        </div>
      </main>
    );
  }
  const { invitation, hasAccount } = found;
  const mustSignIn = hasAccount && user?.email !== invitation.email;
  return (
    <main id="main">
      <div className="card auth-box">
        <h1>{t("invite.title", { team: invitation.team.name })}</h1>
        <p>{t("invite.as", { role: t(`role.${invitation.role}`) })}</p>
        {mustSignIn ? (
          <p className="alert error">
            {t("invite.signInFirst", { email: invitation.email })} <Link href="/sign-in">{t("signIn.submit")}</Link>
          </p>
        ) : (
          <ActionForm action={acceptInvitationAction} submit={t("invite.accept")} testId="accept-invite">
            <input type="hidden" name="token" value={token} />
            {hasAccount ? null : (
              <>
                <label>
                  {t("common.email")}
                  <input value={invitation.email} readOnly />
                </label>
                <label>
                  {t("common.name")}
                  <input name="name" required maxLength={80} autoComplete="name" />
                </label>
                <label>
                  {t("account.new")}
                  <input name="password" type="password" required minLength={12} maxLength={256} autoComplete="new-password" />
                </label>
              </>
            )}
          </ActionForm>
        )}
      </div>
    </main>
  );
}
