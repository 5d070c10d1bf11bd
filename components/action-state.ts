/**
 * What a server action hands back to the form that called it (React's `useActionState`). The one
 * shape for every action: `runAction` (app/_server/actions.ts) builds it, `ActionForm` and the
 * pages' own forms show it.
 */
export interface ActionState {
  ok?: boolean;
  /** Shown as a success note (already in the user's language). */
  message?: string;
  /** Shown as an alert (already in the user's language, or the refusal's own message). */
  error?: string;
  /** One-time values shown once (an API token, an invitation link, a TOTP secret). */
  secret?: string;
  /** A validation refusal's message per field (the `details` of a refusal), shown next to that field. */
  fields?: Record<string, string>;
}

/** A server action as a form calls it. */
export type FormAction<State extends ActionState = ActionState> = (state: State, form: FormData) => Promise<State>;
