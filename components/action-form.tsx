"use client";

import { createContext, useActionState, useContext, useEffect, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import type { FormAction } from "./action-state";

function Submit({ label, variant }: { label: string; variant?: "danger" | "secondary" }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={variant} aria-busy={pending}>
      {label}
    </button>
  );
}

const FieldErrors = createContext<Record<string, string>>({});

/** The refusal's message for one field, placed by the page next to that field's input. */
export function FieldError({ name }: { name: string }) {
  const message = useContext(FieldErrors)[name];
  return message ? (
    <span className="field-error" role="alert" data-field={name}>
      {message}
    </span>
  ) : null;
}

/** Puts submitted values back after a refusal (React resets a form once its action ran); never passwords. */
function restoreFields(form: HTMLFormElement, sent: [string, string][]) {
  for (const [name, value] of sent) {
    const field = form.elements.namedItem(name);
    if (typeof RadioNodeList !== "undefined" && field instanceof RadioNodeList) field.value = value;
    else if (field instanceof HTMLInputElement && (field.type === "checkbox" || field.type === "radio")) field.checked = true;
    else if (
      (field instanceof HTMLInputElement && field.type !== "password" && field.type !== "hidden") ||
      field instanceof HTMLSelectElement ||
      field instanceof HTMLTextAreaElement
    )
      field.value = value;
  }
}

/**
 * A form bound to a server action. Shows the action's error or message next to the form, and a
 * one-time secret (token, invitation link) in a box the user can copy. A refused submission keeps
 * what was typed, so the user corrects it instead of starting over.
 */
export function ActionForm(props: {
  action: FormAction;
  submit: string;
  children?: ReactNode;
  inline?: boolean;
  variant?: "danger" | "secondary";
  secretLabel?: string;
  confirm?: string;
  testId?: string;
}) {
  const [state, formAction] = useActionState(props.action, {});
  const form = useRef<HTMLFormElement>(null);
  const sent = useRef<[string, string][]>([]);
  useEffect(() => {
    if (state.error && form.current) restoreFields(form.current, sent.current);
  }, [state]);
  return (
    <div className="stack">
      <form
        ref={form}
        action={formAction}
        className={props.inline ? "inline" : "stack"}
        data-testid={props.testId}
        onSubmit={(e) => {
          if (props.confirm && !window.confirm(props.confirm)) {
            e.preventDefault();
            return;
          }
          sent.current = [...new FormData(e.currentTarget).entries()].flatMap(([k, v]) =>
            typeof v === "string" ? [[k, v] as [string, string]] : [],
          );
        }}
      >
        <FieldErrors.Provider value={(!state.ok && state.fields) || {}}>{props.children}</FieldErrors.Provider>
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
