import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { currentLocale, getT } from "./_i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: { default: "Skjold", template: "%s · Skjold" }, description: t("app.description") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await currentLocale();
  return (
    <html lang={locale === "nb" ? "nb" : "en"}>
      <body>{children}</body>
    </html>
  );
}
