import { ActionForm } from "@/components/action-form";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { beginTotpAction, changePasswordAction, confirmTotpAction, signOutEverywhereAction } from "./actions";

export const generateMetadata = pageTitle("nav.account");

export default async function AccountPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const row = await (await getPrisma()).user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpEnabled: true } });
  return (
    <div className="stack">
      <h1>{t("account.title")}</h1>
      <p className="muted">
        {user.name} · {user.email}
        {user.isAdmin ? ` · ${t("account.platformAdmin")}` : ""}
      </p>
      <div className="grid">
        <section className="card">
          <h2>{t("account.password")}</h2>
          <ActionForm action={changePasswordAction} submit={t("common.save")}>
            <label>
              {t("account.current")}
              <input name="current" type="password" autoComplete="current-password" required maxLength={256} />
            </label>
            <label>
              {t("account.new")}
              <input name="next" type="password" autoComplete="new-password" required minLength={12} maxLength={256} />
            </label>
          </ActionForm>
        </section>
        {user.isAdmin ? (
          <section className="card">
            <h2>{t("account.totp")}</h2>
            {row.totpEnabled ? (
              <p className="badge ok">{t("account.totpOn")}</p>
            ) : (
              <div className="stack">
                <ActionForm
                  action={beginTotpAction}
                  submit={t("account.totpStart")}
                  variant="secondary"
                  secretLabel={t("account.totpSecret")}
                />
                <ActionForm action={confirmTotpAction} submit={t("signIn.verify")} inline>
                  <label>
                    {t("signIn.code")}
                    <input name="code" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} required />
                  </label>
                </ActionForm>
              </div>
            )}
          </section>
        ) : null}
        <section className="card">
          <h2>{t("account.signOutEverywhere")}</h2>
          <ActionForm action={signOutEverywhereAction} submit={t("account.signOutEverywhere")} variant="danger" />
        </section>
      </div>
    </div>
  );
}
