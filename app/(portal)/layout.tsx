import Link from "next/link";
import type { ReactNode } from "react";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { LedgerAlarm } from "./_ui/ledger-alarm";
import { signOutAction, switchLanguageAction } from "./actions";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const { t, locale } = await getT(user.locale);
  return (
    <>
      <a className="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header className="top">
        <div className="inner">
          <Link href="/teams" className="logo" aria-label="Skjold">
            <span className="mark" aria-hidden="true" />
            Skjold
          </Link>
          <nav aria-label={t("nav.main")}>
            <Link href="/teams">{t("nav.teams")}</Link>
            <Link href="/regions">{t("nav.regions")}</Link>
            {user.isAdmin ? <Link href="/admin">{t("nav.admin")}</Link> : null}
            <Link href="/account">{t("nav.account")}</Link>
          </nav>
          <div className="right">
            <form action={switchLanguageAction} className="row">
              <input type="hidden" name="locale" value={locale === "nb" ? "en" : "nb"} />
              <button className="link" type="submit" title={t("nav.language")} lang={locale === "nb" ? "en" : "nb"}>
                {locale === "nb" ? "English" : "Norsk (bokmål)"}
              </button>
            </form>
            <span title={user.email}>{user.name}</span>
            <form action={signOutAction}>
              <button className="link" type="submit">
                {t("nav.signOut")}
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main">
        <LedgerAlarm t={t} principal={user} />
        {children}
      </main>
    </>
  );
}
