"use client";

import { useActionState, useEffect, useRef, type ReactNode } from "react";
import type { ActionState } from "@/components/action-form";

/**
 * The cluster order form. Like ActionForm, but a refused order keeps what was typed and chosen:
 * React resets a form after its action, so the submitted values are put back once the refusal
 * arrives (the fields stay plain, server-rendered inputs).
 */
export function OrderClusterForm(props: { action: (state: ActionState, form: FormData) => Promise<ActionState>; submit: string; children: ReactNode }) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const form = useRef<HTMLFormElement>(null);
  const sent = useRef<[string, string][]>([]);
  useEffect(() => {
    if (!state.error || !form.current) return;
    for (const [name, value] of sent.current) {
      const field = form.current.elements.namedItem(name);
      if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) field.value = value;
    }
  }, [state]);
  return (
    <div className="stack">
      <form
        ref={form}
        action={formAction}
        className="stack"
        data-testid="order-cluster"
        onSubmit={(e) => {
          sent.current = [...new FormData(e.currentTarget).entries()].flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : []));
        }}
      >
        {props.children}
        <div>
          <button type="submit" disabled={pending} aria-busy={pending}>
            {props.submit}
          </button>
        </div>
      </form>
      {state.error ? (
        <p className="alert error" role="alert">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
