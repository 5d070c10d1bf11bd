import { AppError, type ErrorKey, type PublicError, RETRY_AFTER_SECONDS, type TextParams, toPublicError } from "@/lib/core/errors";
import { en, type MessageKey } from "./dictionaries";
import { orderRefusalText } from "./order-refusal";

// Text that lib/ words in English, in the reader's language: an AppError by its `key` and `params`
// (lib/core/error-text.ts), a VM event by the key in its `data`, a hardening control by its id. What
// carries no key (old rows, errors not yet keyed) is shown as lib/ wrote it.

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Params that hold an enum value rather than text: worded by the dictionary key they prefix. */
const ENUM_PARAMS: Record<string, string> = {
  vmState: "vmState.",
  clusterState: "clusterState.",
  jobState: "jobState.",
  role: "role.",
  policy: "residency.policyName.",
};

/** A message's {placeholders} filled from lib/'s values, state and role values in the reader's words. */
export function wordParams(params: TextParams | undefined, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const key = ENUM_PARAMS[name] && `${ENUM_PARAMS[name]}${value}`;
    out[name] = key && key in en ? t(key as MessageKey) : String(value);
  }
  return out;
}

/** lib/'s keyed text in the reader's language. */
export function libText(text: { key: ErrorKey | MessageKey; params?: TextParams }, t: Translate): string {
  return t(text.key, wordParams(text.params, t));
}

/**
 * What a page or a form shows for a thrown error, in the reader's language: a capacity refusal from
 * its details, a keyed AppError from its key, an unexpected error or an outage by its correlation id;
 * anything else as the API words it. Pass `publicError` when the caller already has it (each call of
 * toPublicError logs an unexpected error under a new id).
 */
export function errorText(err: unknown, t: Translate, publicError: PublicError["error"] = toPublicError(err).body.error): string {
  if (err instanceof AppError) {
    const refusal = err.code === "NO_CAPACITY" ? orderRefusalText({ t, details: err.details }) : null;
    if (refusal) return refusal;
    if (err.key) return libText({ key: err.key, params: err.params }, t);
  }
  const { code, message, correlationId } = publicError;
  if (correlationId && code === "UNAVAILABLE") return t("error.unavailable", { seconds: RETRY_AFTER_SECONDS, id: correlationId });
  if (correlationId) return t("error.internal", { id: correlationId });
  return message;
}
