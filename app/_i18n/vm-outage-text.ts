import { z } from "zod";
import { formatDuration } from "@/lib/jobs/decide-after-failure";
import { formatSince } from "@/lib/placement/place-vm";
import { type Leftover, VmLeftovers } from "@/lib/vms/provision/leftovers";
import type { MessageKey } from "./dictionaries";
import { jobErrorText, keyedEventText } from "./lib-text";

// A VM's outage story in the reader's language (docs/hosts.md, "Outages"): the events about waiting
// for its host and about an incomplete rollback are worded from their values (`VmEvent.data`); other
// events by the key addVmEvent kept in `data.text`, and an old event without one keeps its English.

type Translate = (key: MessageKey, vars?: Record<string, string>) => string;

const Waiting = z.object({ host: z.string(), since: z.string(), limitSeconds: z.number() });
const Back = z.object({ host: z.string() });
const Incomplete = VmLeftovers.extend({ cause: z.string() });
const Removed = z.object({ host: z.string(), items: VmLeftovers.shape.items });
const Failed = z.object({ text: z.object({ key: z.literal("event.failed"), params: z.object({ cause: z.string() }) }) });

export function leftoverItemsText(items: readonly Leftover[], t: Translate): string {
  return items
    .map((i) =>
      i.kind === "volume"
        ? t("outage.itemVolume", { pool: i.pool, name: i.name })
        : t(i.kind === "tap" ? "outage.itemTap" : "outage.itemDomain", { name: i.name }),
    )
    .join(", ");
}

export function vmEventText(e: { kind: string; message: string; data?: unknown }, t: Translate): string {
  if (e.kind === "host-waiting") {
    const d = Waiting.safeParse(e.data);
    if (d.success)
      return t("outage.eventWaiting", {
        host: d.data.host,
        since: formatSince(d.data.since),
        limit: formatDuration(d.data.limitSeconds * 1000),
      });
  }
  if (e.kind === "host-back") {
    const d = Back.safeParse(e.data);
    if (d.success) return t("outage.eventBack", { host: d.data.host });
  }
  if (e.kind === "rollback-incomplete") {
    const d = Incomplete.safeParse(e.data);
    if (d.success)
      return t("outage.eventRollbackIncomplete", { cause: d.data.cause, host: d.data.host, items: leftoverItemsText(d.data.items, t) });
  }
  if (e.kind === "leftovers-removed") {
    const d = Removed.safeParse(e.data);
    if (d.success) return t("outage.eventLeftoversRemoved", { host: d.data.host, items: leftoverItemsText(d.data.items, t) });
  }
  if (e.kind === "failed") {
    // The cause is the job's stored error, English only: worded by the error template whose English it is.
    const d = Failed.safeParse(e.data);
    if (d.success) return t("event.failed", { cause: jobErrorText(d.data.text.params.cause, t) });
  }
  return keyedEventText(e.data, t) ?? e.message;
}
