import type { T } from "@/app/_i18n/server";

/** How long ago a host was last heard from, in the reader's language; older than a day: the UTC time. */
export function ago(t: T, date: Date | null, now = new Date()): string {
  if (!date) return t("time.never");
  const s = Math.round((now.getTime() - date.getTime()) / 1000);
  if (s < 60) return t("time.secondsAgo", { n: s });
  if (s < 3600) return t("time.minutesAgo", { n: Math.round(s / 60) });
  if (s < 86_400) return t("time.hoursAgo", { n: Math.round(s / 3600) });
  return date.toISOString().slice(0, 16).replace("T", " ");
}
