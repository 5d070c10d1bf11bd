import "server-only";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { currentUser } from "@/app/_server/request";
import { LOCALES, type Locale, type MessageKey } from "./dictionaries";

export const LOCALE_COOKIE = "skjold_locale";

export async function currentLocale(userLocale?: string): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const pick = fromCookie ?? userLocale;
  return pick === "nb" ? "nb" : "en";
}

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export async function getT(userLocale?: string): Promise<{ t: T; locale: Locale }> {
  const locale = await currentLocale(userLocale);
  const dict = LOCALES[locale];
  const t: T = (key, vars) => {
    let s: string = dict[key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
  return { t, locale };
}

/** A page's `generateMetadata`: its title (the browser tab's text) in the reader's language. */
export function pageTitle(key: MessageKey): () => Promise<Metadata> {
  return async () => {
    const { t } = await getT((await currentUser())?.locale);
    return { title: t(key) };
  };
}
