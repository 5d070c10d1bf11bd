import Link from "next/link";
import { getT } from "./_i18n/server";

export default async function NotFound() {
  const { t } = await getT();
  return (
    <main>
      <div className="card auth-box">
        <h1>{t("notFound.title")}</h1>
        <p className="muted">{t("notFound.body")}</p>
        <Link href="/">Skjold</Link>
      </div>
    </main>
  );
}
