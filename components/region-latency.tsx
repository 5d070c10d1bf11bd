import type { RegionLatencyFigure } from "@/lib/latency/nix-latency";

// A region's latency to its exchange in one line: median, and a badge when the figure is stale or
// missing. No hooks and no client-only APIs, so it renders on the server and inside client
// components alike (the order page's region picker). Times are shown in UTC so that server and
// browser print the same text.

export interface RegionLatencyLabels {
  noData: string;
  stale: string;
  /** "{median} ms median to {exchange} ({target}, {method}), measured {at}" */
  title: string;
  noTarget: string;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "–";
  return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function formatUtc(at: Date | string | null): string {
  if (!at) return "–";
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function RegionLatency(props: { figure: RegionLatencyFigure | null | undefined; labels: RegionLatencyLabels }) {
  const l = props.labels;
  const f = props.figure;
  if (!f) {
    return (
      <span className="region-latency" data-status="no-target">
        <span className="badge">{l.noTarget}</span>
      </span>
    );
  }
  const title = l.title
    .replace("{exchange}", f.exchange)
    .replace("{target}", f.targetName)
    .replace("{method}", f.method)
    .replace("{at}", formatUtc(f.lastAt));
  return (
    <span className="region-latency" data-status={f.status} title={f.status === "no-data" ? undefined : title}>
      {f.medianMs !== null ? <strong>{formatMs(f.medianMs)}</strong> : null}{" "}
      {f.status === "ok" ? null : (
        <span className={`badge ${f.status === "stale" ? "warn" : ""}`}>{f.status === "stale" ? l.stale : l.noData}</span>
      )}
    </span>
  );
}
