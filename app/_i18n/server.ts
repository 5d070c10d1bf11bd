import "server-only";
import { cookies } from "next/headers";
import { LOCALES, type Locale, type MessageKey } from "./dictionaries";

export const LOCALE_COOKIE = "skjold_locale";

export async function currentLocale(userLocale?: string): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const pick = fromCookie ?? userLocale;
  return pick === "nb" ? "nb" : "en";
}

export type T = (key: MessageKey, vars?: Record<string, string>) => string;

export async function getT(userLocale?: string): Promise<{ t: T; locale: Locale }> {
  const locale = await currentLocale(userLocale);
  const dict = LOCALES[locale];
  const t: T = (key, vars) => {
    let s: string = dict[key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, v);
    return s;
  };
  return { t, locale };
}
