import { redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { getT } from "@/app/_i18n/server";
import { currentSession } from "@/app/_server/request";
import { verifyAction } from "@/app/sign-in/actions";

export default async function VerifyPage() {
  const s = await currentSession();
  if (s.state === "active") redirect("/teams");
  if (s.state === "none") redirect("/sign-in");
  const { t } = await getT();
  return (
    <main id="main">
      <div className="card auth-box">
        <h1>{t("signIn.verifyTitle")}</h1>
        <ActionForm action={verifyAction} submit={t("signIn.verify")}>
          <label>
            {t("signIn.code")}
            <input name="code" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" required maxLength={6} autoFocus />
          </label>
        </ActionForm>
      </div>
    </main>
  );
}
