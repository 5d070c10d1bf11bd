import "server-only";
import type { ActionState } from "@/components/action-state";
import { toPublicError } from "@/lib/core/errors";
import { errorText } from "@/app/_i18n/lib-text";
import { getT } from "@/app/_i18n/server";
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
    const fields = fieldMessages(publicError.details);
    return { ok: false, error: await readersText(err, publicError), ...(fields ? { fields } : {}) };
  }
}

/** The refusal in the signed-in user's language (or the language cookie's); as the API words it if even that fails. */
async function readersText(err: unknown, publicError: ReturnType<typeof toPublicError>["body"]["error"]): Promise<string> {
  try {
    const user = await currentUser().catch(() => null);
    return errorText(err, (await getT(user?.locale)).t, publicError);
  } catch {
    return publicError.message;
  }
}

export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$")) out[k] = v;
  return out;
}

/** `details` of a refusal shaped `[{ path, message }]` (fromZod's and the domains' own) as one message per field. */
function fieldMessages(details: unknown): Record<string, string> | undefined {
  if (!Array.isArray(details)) return undefined;
  const fields: Record<string, string> = {};
  for (const d of details) {
    if (d && typeof d.path === "string" && d.path && typeof d.message === "string") {
      const field = d.path.split(".")[0]!; // reserved.2 → reserved
      fields[field] = fields[field] ? `${fields[field]}; ${d.message}` : d.message;
    }
  }
  return Object.keys(fields).length ? fields : undefined;
}
