import { z } from "zod";
import type { NestedError } from "@/lib/core/error-text";
import { AppError, type ErrorKey, type PublicError, RETRY_AFTER_SECONDS, toPublicError } from "@/lib/core/errors";
import type { EventParams } from "@/lib/vms/shared/vm-event-text";
import type { JobSnapshot } from "@/lib/jobs/watch";
import { en, type MessageKey } from "./dictionaries";
import { orderRefusalText, placementText } from "./order-refusal";
import { byEnglish, templatePattern, type Translate } from "./templates";

// Text that lib/ words in English, in the reader's language: an AppError by its `key` and `params`
// (lib/core/error-text.ts), a VM event by the key in its `data`. Where lib/ stores or sends only the
// English (a hardening control's title and evidence, a validation refusal's field messages), the
// dictionary's template whose English it is words it, its values read back from the text. What has
// neither (old rows, errors not yet keyed) is shown as lib/ wrote it: an English page reads as before.

/** Params that hold an enum value rather than text: worded by the dictionary key they prefix. */
const ENUM_PARAMS: Record<string, string> = {
  vmState: "vmState.",
  clusterState: "clusterState.",
  jobState: "jobState.",
  role: "role.",
  policy: "residency.policyName.",
};

/**
 * A message's {placeholders} filled from lib/'s values: state and role values in the reader's words,
 * a list joined with the reader's "and" (lib/ joins it with " and ").
 */
export function wordParams(params: EventParams | undefined, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const key = ENUM_PARAMS[name] && `${ENUM_PARAMS[name]}${value}`;
    if (Array.isArray(value)) out[name] = value.join(` ${t("common.and")} `);
    else if (value !== null && typeof value === "object" && "message" in value) out[name] = nestedText(value, t);
    else out[name] = key && key in en ? t(key as MessageKey) : String(value);
  }
  return out;
}

/** A refusal inside another by its key; as lib/ wrote it without one (a capacity refusal keeps its English here, as before). */
function nestedText(inner: NestedError, t: Translate): string {
  return inner.key ? libText({ key: inner.key, params: inner.params }, t) : inner.message;
}

/** lib/'s keyed text in the reader's language. */
export function libText(text: { key: ErrorKey | MessageKey; params?: EventParams }, t: Translate): string {
  return t(text.key, wordParams(text.params, t));
}

/**
 * What a page or a form shows for a thrown error, in the reader's language: a keyed AppError from its
 * key, a capacity refusal from its details, a validation refusal field by field, an unexpected error
 * or an outage by its correlation id; anything else as the API words it. Pass `publicError` when the
 * caller already has it (each call of toPublicError logs an unexpected error under a new id).
 */
export function errorText(err: unknown, t: Translate, publicError: PublicError["error"] = toPublicError(err).body.error): string {
  if (err instanceof AppError) {
    if (err.key) return libText({ key: err.key, params: err.params }, t);
    const refusal = err.code === "NO_CAPACITY" ? orderRefusalText({ t, details: err.details }) : null;
    if (refusal) return refusal;
    const invalid = validationText(err, t);
    if (invalid) return invalid;
  }
  const { code, message, correlationId } = publicError;
  if (correlationId && code === "UNAVAILABLE") return t("error.unavailable", { seconds: String(RETRY_AFTER_SECONDS), id: correlationId });
  if (correlationId) return t("error.internal", { id: correlationId });
  return message;
}

const KeyedText = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null(), z.array(z.string())])),
});

/** The text a VM event keeps in `data.text` (addVmEvent), in the reader's language; null for an event without one. */
export function keyedEventText(data: unknown, t: Translate): string | null {
  const text = z.object({ text: KeyedText }).safeParse(data);
  if (!text.success || !(text.data.text.key in en)) return null;
  return libText({ key: text.data.text.key as MessageKey, params: text.data.text.params }, t);
}

/**
 * A hardening control's title in the reader's language. The report stores the English title; the
 * dictionary has it under `control.<id>` (a node's `[name]` left out of the id), or under a variant
 * of that key when one id has several titles. The key whose English is the stored title wins, and
 * its {values} are read back from the title, so an old report and an English page read as stored.
 */
export function controlTitle(c: { id: string; title: string }, t: Translate): string {
  const base = `control.${c.id.replace(/\[.*\]$/, "")}`;
  return byEnglish((key) => key === base || key.startsWith(`${base}.`), c.title, t) ?? c.title;
}

/**
 * A refusal stored as its English only (a VM's or a cluster's `lastError`): the error template whose
 * English it is, its values read back, a state in the reader's words. Kept as stored when no template
 * reads it, or when a value meant to be a state is not one (the text only looked like the template).
 */
export function storedErrorText(text: string, t: Translate): string {
  const candidates = (Object.keys(en) as MessageKey[])
    .filter((key) => key.startsWith("error."))
    .sort((a, b) => en[b].replace(/\{\w+\}/g, "").length - en[a].replace(/\{\w+\}/g, "").length);
  for (const key of candidates) {
    const values = templatePattern(en[key]).exec(text)?.groups;
    if (!values) continue;
    const words: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      const prefix = ENUM_PARAMS[name];
      const state = prefix && (Object.keys(en) as MessageKey[]).find((k) => k.startsWith(prefix) && en[k] === value);
      if (prefix && !state) return text;
      words[name] = state ? t(state) : value;
    }
    return t(key, words);
  }
  return text;
}

/** A control's evidence: what was read on the machine stays as read; Skjold's own few words about it in the reader's. */
export function evidenceText(evidence: string, t: Translate): string {
  return byEnglish((key) => key.startsWith("evidence."), evidence, t) ?? evidence;
}

/** A field's validation message (zod's or a domain's) in the reader's words; as written when the dictionary lacks it. */
export function fieldText(message: string, t: Translate): string {
  return byEnglish((key) => key.startsWith("field."), message, t) ?? message;
}

const FieldIssues = z.array(z.object({ path: z.string(), message: z.string() }));

/**
 * A validation refusal shaped as fromZod makes it ("Order: name: must be…; planCode: …", the same
 * issues in `details`), field by field in the reader's words; null for any other message.
 */
function validationText(err: AppError, t: Translate): string | null {
  const issues = FieldIssues.safeParse(err.details);
  if (err.code !== "VALIDATION" || !issues.success || issues.data.length === 0) return null;
  const english = issues.data.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  if (!err.message.endsWith(`: ${english}`)) return null;
  const what = err.message.slice(0, -english.length - 2);
  const words = issues.data.map((i) => (i.path ? `${i.path}: ${fieldText(i.message, t)}` : fieldText(i.message, t))).join("; ");
  return `${`invalid.${what}` in en ? t(`invalid.${what}` as MessageKey) : what}: ${words}`;
}

/** "1 h 5 min" (lib/jobs' formatDuration) in the reader's units; seconds and minutes read the same in both languages. */
function durationText(text: string, t: Translate): string {
  return text.replace(/\b(\d+) h\b/g, (_, n: string) => t("jobError.hours", { n }));
}

/** The engine's wrappers around a failure, outermost first; `error`/`cause` hold the failure inside. */
const JOB_WRAPPERS = ["jobError.rollbackIncomplete", "jobError.gaveUp", "jobError.waitedOut", "jobError.rollbackFailed"] as const;
const JOB_PLAIN = [
  "jobError.cancelled",
  "jobError.cancelledWhileRunning",
  "jobError.workerStopped",
  "jobError.workersStopped",
  "jobError.unexpected",
] as const;

/**
 * A job's or a step's stored failure (and a VM's rollback reason, which quotes it) in the reader's
 * language: the engine's own words around it ("… (gave up after 3 attempts)", "clone-disk: …",
 * "…; rollback incomplete: …") from the `jobError.*` templates, the refusal inside by storedErrorText.
 * What no template reads is kept as stored, as storedErrorText keeps it.
 */
export function jobErrorText(text: string, t: Translate, depth = 0): string {
  if (depth > 4) return text;
  for (const key of JOB_WRAPPERS) {
    const v = templatePattern(en[key]).exec(text)?.groups;
    if (!v) continue;
    const inner = (s: string | undefined) => (s === undefined ? "" : jobErrorText(s, t, depth + 1));
    return t(key, {
      ...v,
      error: inner(v.error),
      cause: inner(v.cause),
      unfinished:
        v.unfinished === undefined
          ? ""
          : v.unfinished
              .split("; ")
              .map((part) => inner(part))
              .join("; "),
      waited: durationText(v.waited ?? "", t),
      limit: durationText(v.limit ?? "", t),
    });
  }
  for (const key of JOB_PLAIN) {
    const match = templatePattern(en[key]).exec(text);
    if (match) return t(key, { ...match.groups });
  }
  const placed = placementText(text, t);
  if (placed !== null) return placed;
  // "clone-disk: <error>": the step by its name on the page, when it is one of ours.
  const atStep = /^([a-z][a-z0-9-]*): (.+)$/s.exec(text);
  if (atStep && `jobStep.${atStep[1]}` in en) {
    return t("jobError.atStep", { step: t(`jobStep.${atStep[1]}` as MessageKey), error: jobErrorText(atStep[2]!, t, depth + 1) });
  }
  return storedErrorText(text, t);
}

/** A job's snapshot with its job's and steps' stored errors worded by `errorText` (the live progress card's). */
export function wordJobErrors(snapshot: JobSnapshot, errorText: (stored: string) => string): JobSnapshot {
  return {
    ...snapshot,
    lastError: snapshot.lastError === null ? null : errorText(snapshot.lastError),
    steps: snapshot.steps.map((s) => ({ ...s, error: s.error === null ? null : errorText(s.error) })),
  };
}
