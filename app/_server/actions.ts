import "server-only";
import type { ActionState } from "@/components/action-state";
import { toPublicError } from "@/lib/core/errors";
import { errorText, fieldText } from "@/app/_i18n/lib-text";
import { getT, type T } from "@/app/_i18n/server";
import { currentUser } from "./request";

export type { ActionState };

/** Runs a form action and turns any failure into a message the form can show, in the user's language. */
// biome-ignore lint/suspicious/noConfusingVoidType: an action that returns nothing (it redirects) is `() => Promise<void>`
export async function runAction(fn: () => Promise<ActionState | void>): Promise<ActionState> {
  try {
    return { ok: true, ...((await fn()) ?? {}) };
  } catch (err) {
    // next/navigation's redirect() and notFound() work by throwing: let them through.
    if (err && typeof err === "object" && "digest" in err && String((err as { digest: unknown }).digest).startsWith("NEXT_")) throw err;
    const publicError = toPublicError(err).body.error;
    const t = await readersT();
    const fields = fieldMessages(publicError.details, t);
    return { ok: false, error: t ? errorText(err, t, publicError) : publicError.message, ...(fields ? { fields } : {}) };
  }
}

/** The signed-in user's words (or the language cookie's); null when even that fails (the API's English then). */
async function readersT(): Promise<T | null> {
  try {
    const user = await currentUser().catch(() => null);
    return (await getT(user?.locale)).t;
  } catch {
    return null;
  }
}

export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$")) out[k] = v;
  return out;
}

/** `details` of a refusal shaped `[{ path, message }]` (fromZod's and the domains' own) as one message per field. */
function fieldMessages(details: unknown, t: T | null): Record<string, string> | undefined {
  if (!Array.isArray(details)) return undefined;
  const fields: Record<string, string> = {};
  for (const d of details) {
    if (d && typeof d.path === "string" && d.path && typeof d.message === "string") {
      const field = d.path.split(".")[0]!; // reserved.2 → reserved
      const message = t ? fieldText(d.message, t) : d.message;
      fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
    }
  }
  return Object.keys(fields).length ? fields : undefined;
}
