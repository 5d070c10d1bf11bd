import { ApiSourceSchema, MAX_API_NETWORKS } from "@/lib/clusters/order/schemas";
import { cidrSchema } from "@/lib/guest/inputs";
import type { T } from "@/app/_i18n/server";

// The order form's "Kubernetes API reachable from" field: networks separated by lines, spaces or
// commas. Each is checked with the order schema's own rule, so the form names the one that is wrong
// and why, in the user's language (the reason is a dictionary key).

type ApiAllowFromReason = "notCidr" | "prefixTooLong" | "wholeInternet" | "tooMany";
export type ParsedApiAllowFrom = { ok: true; networks: string[] } | { ok: false; value: string; reason: ApiAllowFromReason };

export function parseApiAllowFrom(raw: string | undefined): ParsedApiAllowFrom {
  const networks = [...new Set((raw ?? "").split(/[\s,]+/).filter(Boolean))];
  for (const value of networks) {
    if (ApiSourceSchema.safeParse(value).success) continue;
    const shown = value.slice(0, 60);
    if (!cidrSchema.safeParse(value).success) return { ok: false, value: shown, reason: "notCidr" };
    return { ok: false, value: shown, reason: Number(value.split("/")[1]) === 0 ? "wholeInternet" : "prefixTooLong" };
  }
  if (networks.length > MAX_API_NETWORKS) return { ok: false, value: networks[MAX_API_NETWORKS]!, reason: "tooMany" };
  return { ok: true, networks };
}

/** The refusal the form shows for a bad network, in the user's language. */
export function apiAllowFromRefusal(t: T, bad: Extract<ParsedApiAllowFrom, { ok: false }>): string {
  return t("cluster.apiAllowFromInvalid", { value: bad.value, why: t(`cluster.apiReason.${bad.reason}`) });
}
