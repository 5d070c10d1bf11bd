// Region cards for ordering: where the VM will live (city, country), under which jurisdiction
// (Norway is in the EEA but not in the EU), how far it is from NIX, and, for a region the team may
// not use, why not. Plain radio inputs: it works inside any form, with or without JavaScript.
import type { RegionLatencyFigure } from "@/lib/latency/nix-latency";
import { RegionLatency, type RegionLatencyLabels } from "./region-latency";

export interface RegionChoice {
  code: string;
  name: string;
  city: string;
  country: string;
  jurisdiction: string;
  allowedByPolicy: boolean;
  hasCapacity: boolean;
  /** no capacity because no host of the region is healthy and ready (an outage), not because all are full */
  noHealthyHost?: boolean;
  /** The region's current latency to NIX (lib/latency nixLatencyByRegion); null: nothing measures it. */
  latency?: RegionLatencyFigure | null;
}

export interface RegionPickerLabels {
  legend: string;
  latency: string;
  noLatency: string;
  latencyFigure: RegionLatencyLabels;
  outsidePolicy: string;
  noCapacity: string;
  noHealthyHost: string;
  jurisdiction: Record<string, string>;
}

export function regionUnavailable(r: RegionChoice, labels: RegionPickerLabels): string | null {
  if (!r.allowedByPolicy) return labels.outsidePolicy;
  if (!r.hasCapacity) return r.noHealthyHost ? labels.noHealthyHost : labels.noCapacity;
  return null;
}

function LatencySlot({ region, labels }: { region: RegionChoice; labels: RegionPickerLabels }) {
  return (
    <span className="latency" data-testid={`latency-${region.code}`}>
      {labels.latency}:{" "}
      {region.latency ? (
        <RegionLatency figure={region.latency} labels={labels.latencyFigure} />
      ) : (
        <span className="muted">{labels.noLatency}</span>
      )}
    </span>
  );
}

export function RegionPicker(props: {
  regions: RegionChoice[];
  labels: RegionPickerLabels;
  value: string;
  onChange?: (code: string) => void;
  name?: string;
}) {
  return (
    <fieldset className="choices" data-testid="region-picker">
      <legend>{props.labels.legend}</legend>
      {props.regions.map((r) => {
        const why = regionUnavailable(r, props.labels);
        return (
          <label key={r.code} className={`choice${why ? " disabled" : ""}`} aria-disabled={why ? true : undefined}>
            <input
              type="radio"
              name={props.name ?? "regionCode"}
              value={r.code}
              checked={props.value === r.code}
              disabled={why !== null}
              onChange={() => props.onChange?.(r.code)}
            />
            <span className="choice-body">
              <span className="choice-title">
                {r.name} <span className="mono muted">{r.code}</span>
              </span>
              <span>
                {r.city}, {r.country} ·{" "}
                <span className={`badge${r.jurisdiction === "NO_EEA" ? " no" : ""}`}>
                  {props.labels.jurisdiction[r.jurisdiction] ?? r.jurisdiction}
                </span>
              </span>
              <LatencySlot region={r} labels={props.labels} />
              {why ? <span className="choice-reason">{why}</span> : null}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
