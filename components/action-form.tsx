"use client";

import { useActionState, type ReactNode } from "react";
import { useFormStatus } from "react-dom";

export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  secret?: string;
}

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

function Submit({ label, variant }: { label: string; variant?: "danger" | "secondary" }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={variant} aria-busy={pending}>
      {label}
    </button>
  );
}

/**
 * A form bound to a server action. Shows the action's error or message next to the form, and a
 * one-time secret (token, invitation link) in a box the user can copy.
 */
export function ActionForm(props: {
  action: Action;
  submit: string;
  children?: ReactNode;
  inline?: boolean;
  variant?: "danger" | "secondary";
  secretLabel?: string;
  confirm?: string;
  testId?: string;
}) {
  const [state, formAction] = useActionState(props.action, {});
  return (
    <div className="stack">
      <form
        action={formAction}
        className={props.inline ? "inline" : "stack"}
        data-testid={props.testId}
        onSubmit={(e) => {
          if (props.confirm && !window.confirm(props.confirm)) e.preventDefault();
        }}
      >
        {props.children}
        <div>
          <Submit label={props.submit} variant={props.variant} />
        </div>
      </form>
      {state.error ? (
        <p className="alert error" role="alert">
          {state.error}
        </p>
      ) : null}
      {state.ok && state.message ? (
        <p className="alert ok" role="status">
          {state.message}
        </p>
      ) : null}
      {state.secret ? (
        <div role="status">
          <p>{props.secretLabel}</p>
          <p className="secret mono" data-testid="one-time-secret">
            {state.secret}
          </p>
        </div>
      ) : null}
    </div>
  );
}
