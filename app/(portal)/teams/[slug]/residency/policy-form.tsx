"use client";

import { useActionState } from "react";
import type { PolicyFormState } from "./actions";

type Action = (state: PolicyFormState, form: FormData) => Promise<PolicyFormState>;

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
  action: Action;
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
        <div className="table-wrap">
          <table data-testid="policy-violations" aria-label={labels.violationsTitle}>
            <caption style={{ textAlign: "left", fontWeight: 600, padding: "6px 0" }}>{labels.violationsTitle}</caption>
            <thead>
              <tr>
                <th>{labels.resource}</th>
                <th>{labels.type}</th>
                <th>{labels.region}</th>
                <th>{labels.jurisdiction}</th>
              </tr>
            </thead>
            <tbody>
              {state.violations.map((v) => (
                <tr key={`${v.type}/${v.id}/${v.regionCode}`}>
                  <td>
                    {v.name}
                    <div className="mono muted" style={{ fontSize: ".75rem" }}>
                      {v.id}
                    </div>
                  </td>
                  <td>{v.type}</td>
                  <td className="mono">{v.regionCode}</td>
                  <td>
                    <span className="badge bad">{v.jurisdiction}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
