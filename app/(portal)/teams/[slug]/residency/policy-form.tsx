"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/action-state";
import { DataTable } from "@/components/data-table";
import type { PolicyFormState } from "./actions";

export interface PolicyFormLabels {
  policy: string;
  submit: string;
  violationsTitle: string;
  resource: string;
  type: string;
  region: string;
  jurisdiction: string;
}

/** The owner's policy picker; a refusal lists every resource that lies outside the chosen policy. */
export function PolicyForm(props: {
  action: FormAction<PolicyFormState>;
  slug: string;
  current: string;
  options: { value: string; label: string }[];
  labels: PolicyFormLabels;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const { labels } = props;
  return (
    <div className="stack">
      <form action={formAction} className="inline" data-testid="policy-form">
        <input type="hidden" name="slug" value={props.slug} />
        <label>
          {labels.policy}
          <select name="policy" defaultValue={props.current}>
            {props.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {labels.submit}
        </button>
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
      {state.violations?.length ? (
        <DataTable
          testId="policy-violations"
          label={labels.violationsTitle}
          caption={labels.violationsTitle}
          rows={state.violations}
          rowKey={(v) => `${v.type}/${v.id}/${v.regionCode}`}
          columns={[
            {
              key: "resource",
              header: labels.resource,
              cell: (v) => (
                <>
                  {v.name}
                  <div className="mono muted fine">{v.id}</div>
                </>
              ),
            },
            { key: "type", header: labels.type, cell: (v) => v.type },
            { key: "region", header: labels.region, className: "mono", cell: (v) => v.regionCode },
            { key: "jurisdiction", header: labels.jurisdiction, cell: (v) => <span className="badge bad">{v.jurisdiction}</span> },
          ]}
        />
      ) : null}
    </div>
  );
}
