import { formatMs, formatUtc } from "@/components/region-latency";
import type { LatencyFigure } from "@/lib/latency/region-report";
import type { T } from "@/app/_i18n/server";

// The current figures of one region: one row per target and method, with an honest status badge.

const pct = (loss: number | null) => (loss === null ? "–" : `${(loss * 100).toFixed(loss > 0 && loss < 0.01 ? 2 : 1)} %`);

export function FiguresTable({ figures, t }: { figures: LatencyFigure[]; t: T }) {
  const badge = (s: LatencyFigure["status"]) =>
    s === "ok" ? (
      <span className="badge ok">{t("latency.ok")}</span>
    ) : s === "stale" ? (
      <span className="badge warn">{t("latency.stale")}</span>
    ) : (
      <span className="badge bad">{t("latency.noData")}</span>
    );
  return (
    <table data-testid="latency-figures">
      <thead>
        <tr>
          <th>{t("latency.exchange")}</th>
          <th>{t("latency.target")}</th>
          <th>{t("latency.method")}</th>
          <th>{t("latency.median")}</th>
          <th>{t("latency.p95")}</th>
          <th>{t("latency.jitter")}</th>
          <th>{t("latency.loss")}</th>
          <th>{t("latency.lastMeasured")}</th>
          <th>{t("common.status")}</th>
        </tr>
      </thead>
      <tbody>
        {figures.map((f) => (
          <tr key={`${f.targetId}-${f.method}`} data-target={f.targetName} data-method={f.method} data-status={f.status}>
            <td>{f.exchange}</td>
            <td>{f.targetName}</td>
            <td>{f.method}</td>
            <td>{formatMs(f.medianMs)}</td>
            <td>{formatMs(f.p95Ms)}</td>
            <td>{formatMs(f.jitterMs)}</td>
            <td>{pct(f.loss)}</td>
            <td className="mono">{formatUtc(f.lastAt)}</td>
            <td>
              {badge(f.status)}
              {f.lastError ? (
                <div className="muted" style={{ fontSize: ".8rem", maxWidth: 280 }}>
                  {t("latency.lastError")}: {f.lastError}
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
