import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { currentLocale } from "./_i18n/server";

export const metadata: Metadata = {
  title: { default: "Skjold", template: "%s · Skjold" },
  description: "Hardened virtual machines and k3s clusters in Norwegian and EU regions",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await currentLocale();
  return (
    <html lang={locale === "nb" ? "nb" : "en"}>
      <body>{children}</body>
    </html>
  );
}
