import "server-only";
import { toPublicError } from "@/lib/core/errors";

export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  /** One-time values shown once (an API token, an invitation link). */
  secret?: string;
}

/** Runs a form action and turns any failure into a message the form can show. */
// biome-ignore lint/suspicious/noConfusingVoidType: an action that returns nothing (it redirects) is `() => Promise<void>`
export async function runAction(fn: () => Promise<ActionState | void>): Promise<ActionState> {
  try {
    return { ok: true, ...((await fn()) ?? {}) };
  } catch (err) {
    // next/navigation's redirect() and notFound() work by throwing: let them through.
    if (err && typeof err === "object" && "digest" in err && String((err as { digest: unknown }).digest).startsWith("NEXT_")) throw err;
    return { ok: false, error: toPublicError(err).body.error.message };
  }
}

export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$")) out[k] = v;
  return out;
}
