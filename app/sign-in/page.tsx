import { redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { getT, pageTitle } from "@/app/_i18n/server";
import { currentSession } from "@/app/_server/request";
import { switchLanguageAction } from "@/app/(portal)/actions";
import { signInAction } from "./actions";

export const generateMetadata = pageTitle("signIn.submit");

export default async function SignInPage() {
  if ((await currentSession()).state === "active") redirect("/teams");
  const { t, locale } = await getT();
  return (
    <main id="main">
      <div className="card auth-box">
        <h1>{t("signIn.title")}</h1>
        <p className="muted">{t("app.tagline")}</p>
        <ActionForm action={signInAction} submit={t("signIn.submit")} testId="sign-in-form">
          <label>
            {t("signIn.email")}
            <input name="email" type="email" autoComplete="username" required maxLength={254} autoFocus />
          </label>
          <label>
            {t("signIn.password")}
            <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
          </label>
        </ActionForm>
        <form action={switchLanguageAction}>
          <input type="hidden" name="locale" value={locale === "nb" ? "en" : "nb"} />
          <input type="hidden" name="back" value="/sign-in" />
          <button type="submit" className="secondary" lang={locale === "nb" ? "en" : "nb"}>
            {locale === "nb" ? "English" : "Norsk (bokmål)"}
          </button>
        </form>
      </div>
    </main>
  );
}
