import { z } from "zod";
import type { MessageKey } from "./dictionaries";

// An order refused for capacity (lib/vms/order/capacity-refusal.ts), worded in the user's language
// from the refusal's details: which hosts are unhealthy and since when, or that a healthy one is full.
// A host's other reasons (e.g. "vCPUs full (2 of 2 in use…)") are figures and stay as placement wrote them.

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

type Translate = (key: MessageKey, vars?: Record<string, string>) => string;

/** The refusal in the user's language, or null when `details` are not a capacity refusal's (show the message as it is). */
export function orderRefusalText(opts: { t: Translate; details: unknown }): string | null {
  const parsed = RefusalDetails.safeParse(opts.details);
  if (!parsed.success) return null;
  const { t } = opts;
  const d = parsed.data;
  const region = `${d.regionName} (${d.region})`;
  const hosts = d.hosts
    .map((h) => {
      if (!h.problem) return `${h.host}: ${h.reason}`;
      const since = h.since ? t("order.refused.since", { time: `${h.since.slice(0, 16).replace("T", " ")} UTC` }) : "";
      return t(PROBLEM_KEY[h.problem], { host: h.host, since });
    })
    .join("; ");
  if (d.cause === "no-hosts") return t("order.refused.noHosts", { region });
  if (d.cause === "no-healthy-host") return t("order.refused.noHealthyHost", { region, hosts });
  return t("order.refused.noRoom", { region, plan: d.plan, image: d.image, hosts });
}
