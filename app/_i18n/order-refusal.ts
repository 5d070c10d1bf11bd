import { z } from "zod";
import { en, type MessageKey } from "./dictionaries";
import { byEnglish, templatePattern, type Translate } from "./templates";

// An order refused for capacity (lib/vms/order/capacity-refusal.ts), worded in the user's language
// from the refusal's details: which hosts are unhealthy and since when, or that a healthy one is full.
// A host's other reasons (e.g. "vCPUs full (2 of 2 in use…)") are read back by placementReasonText.

const RefusalDetails = z.object({
  regionName: z.string(),
  region: z.string(),
  plan: z.string(),
  image: z.string(),
  cause: z.enum(["no-hosts", "no-healthy-host", "no-room"]),
  hosts: z.array(
    z.object({
      host: z.string(),
      reason: z.string(),
      problem: z.enum(["offline", "error", "key-mismatch", "pending-key", "draining", "network-not-ready", "not-discovered"]).optional(),
      since: z.string().optional(),
    }),
  ),
});

const PROBLEM_KEY = {
  offline: "order.refused.offline",
  error: "order.refused.error",
  "key-mismatch": "order.refused.keyMismatch",
  "pending-key": "order.refused.pendingKey",
  draining: "order.refused.draining",
  "network-not-ready": "order.refused.networkNotReady",
  "not-discovered": "order.refused.notDiscovered",
} as const satisfies Record<string, MessageKey>;

/** The refusal in the user's language, or null when `details` are not a capacity refusal's (show the message as it is). */
export function orderRefusalText(opts: { t: Translate; details: unknown }): string | null {
  const parsed = RefusalDetails.safeParse(opts.details);
  if (!parsed.success) return null;
  const { t } = opts;
  const d = parsed.data;
  const region = `${d.regionName} (${d.region})`;
  const hosts = d.hosts
    .map((h) => {
      if (!h.problem) return `${h.host}: ${placementReasonText(h.reason, t)}`;
      const since = h.since ? t("order.refused.since", { time: `${h.since.slice(0, 16).replace("T", " ")} UTC` }) : "";
      return t(PROBLEM_KEY[h.problem], { host: h.host, since });
    })
    .join("; ");
  if (d.cause === "no-hosts") return t("order.refused.noHosts", { region });
  if (d.cause === "no-healthy-host") return t("order.refused.noHealthyHost", { region, hosts });
  return t("order.refused.noRoom", { region, plan: d.plan, image: d.image, hosts });
}

const PLACEMENT_REASONS = (key: string) =>
  key.startsWith("placement.") && key !== "placement.hostReason" && key !== "placement.noHost" && key !== "placement.noHealthyHost";

/** One host's reason in placement's refusal ("vCPUs full (2 of 2 in use, 1 needed)") in the reader's words; as written when none reads it. */
export function placementReasonText(reason: string, t: Translate): string {
  return byEnglish(PLACEMENT_REASONS, reason, t) ?? reason;
}

/** Placement's refusal ("No host in osl can take this VM (a: …; b: …).") in the reader's words, host by host; null when the text is not one. */
export function placementText(text: string, t: Translate): string | null {
  for (const key of ["placement.noHealthyHost", "placement.noHost"] as const) {
    const v = templatePattern(en[key]).exec(text)?.groups;
    if (!v) continue;
    const why =
      v.why === en["placement.noHosts"]
        ? t("placement.noHosts")
        : v
            .why!.split("; ")
            .map((part) => {
              const m = /^(.+?): (.+)$/s.exec(part);
              return m ? t("placement.hostReason", { host: m[1]!, reason: placementReasonText(m[2]!, t) }) : part;
            })
            .join("; ");
    return t(key, { region: v.region!, why });
  }
  return null;
}
