import { ApiSourceSchema } from "@/lib/clusters/schemas";
import { cidrSchema } from "@/lib/guest/inputs";

// The order form's "Kubernetes API reachable from" field: networks separated by lines, spaces or
// commas. Each is checked with the order schema's own rule, so the form names the one that is wrong
// and why, in the user's language (the reason is a dictionary key).

export type ApiAllowFromReason = "notCidr" | "prefixTooLong" | "wholeInternet" | "tooMany";
export type ParsedApiAllowFrom = { ok: true; networks: string[] } | { ok: false; value: string; reason: ApiAllowFromReason };

const MAX = 10;

export function parseApiAllowFrom(raw: string | undefined): ParsedApiAllowFrom {
  const networks = [...new Set((raw ?? "").split(/[\s,]+/).filter(Boolean))];
  for (const value of networks) {
    if (ApiSourceSchema.safeParse(value).success) continue;
    const shown = value.slice(0, 60);
    if (!cidrSchema.safeParse(value).success) return { ok: false, value: shown, reason: "notCidr" };
    return { ok: false, value: shown, reason: Number(value.split("/")[1]) === 0 ? "wholeInternet" : "prefixTooLong" };
  }
  if (networks.length > MAX) return { ok: false, value: networks[MAX]!, reason: "tooMany" };
  return { ok: true, networks };
}
