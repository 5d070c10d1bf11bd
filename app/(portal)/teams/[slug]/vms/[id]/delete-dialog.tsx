"use client";

import { useActionState, useRef, useState } from "react";
import type { FormAction } from "@/components/action-state";

/** Delete behind a dialog that asks for the VM's name, typed, before the button works. */
export function DeleteVmDialog(props: {
  vmName: string;
  action: FormAction;
  labels: { open: string; title: string; body: string; confirm: string; cancel: string };
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [state, formAction, pending] = useActionState(props.action, {});
  return (
    <>
      <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>
        {props.labels.open}
      </button>
      <dialog ref={dialog} aria-labelledby="delete-title" data-testid="delete-dialog" onClose={() => setTyped("")}>
        <form action={formAction} className="stack">
          <h2 id="delete-title">{props.labels.title}</h2>
          <label>
            {props.labels.body}
            <input
              name="confirmName"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              placeholder={props.vmName}
            />
          </label>
          {state.error ? (
            <p className="alert error" role="alert">
              {state.error}
            </p>
          ) : null}
          <div className="row">
            <button type="submit" className="danger" disabled={typed !== props.vmName || pending} aria-busy={pending}>
              {props.labels.confirm}
            </button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              {props.labels.cancel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
