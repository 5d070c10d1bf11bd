import { DataTable } from "@/components/data-table";
import { formatMs, formatUtc } from "@/components/region-latency";
import { StatusBadge } from "@/components/status-badge";
import type { LatencyFigure } from "@/lib/latency/region-report";
import type { T } from "@/app/_i18n/server";

// The current figures of one region: one row per target and method, with an honest status badge.

const pct = (loss: number | null) => (loss === null ? "–" : `${(loss * 100).toFixed(loss > 0 && loss < 0.01 ? 2 : 1)} %`);

export function FiguresTable({ figures, t }: { figures: LatencyFigure[]; t: T }) {
  const label = { ok: t("latency.ok"), stale: t("latency.stale"), "no-data": t("latency.noData") } as const;
  return (
    <DataTable
      bare
      testId="latency-figures"
      rows={figures}
      rowKey={(f) => `${f.targetId}-${f.method}`}
      rowProps={(f) => ({ "data-target": f.targetName, "data-method": f.method, "data-status": f.status })}
      columns={[
        { key: "exchange", header: t("latency.exchange"), cell: (f) => f.exchange },
        { key: "target", header: t("latency.target"), cell: (f) => f.targetName },
        { key: "method", header: t("latency.method"), cell: (f) => f.method },
        { key: "median", header: t("latency.median"), cell: (f) => formatMs(f.medianMs) },
        { key: "p95", header: t("latency.p95"), cell: (f) => formatMs(f.p95Ms) },
        { key: "jitter", header: t("latency.jitter"), cell: (f) => formatMs(f.jitterMs) },
        { key: "loss", header: t("latency.loss"), cell: (f) => pct(f.loss) },
        { key: "last", header: t("latency.lastMeasured"), className: "mono", cell: (f) => formatUtc(f.lastAt) },
        {
          key: "status",
          header: t("common.status"),
          cell: (f) => (
            <>
              <StatusBadge of="latency" state={f.status} label={label[f.status]} />
              {f.lastError ? (
                <div className="muted cell-note">
                  {t("latency.lastError")}: {f.lastError}
                </div>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}
