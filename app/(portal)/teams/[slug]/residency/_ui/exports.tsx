import { DataTable } from "@/components/data-table";
import type { T } from "@/app/_i18n/server";
import type { ReportExportRecord } from "@/lib/residency/report-response";
import { reportHref, shortHash, utc } from "./format";

/** An export's X-Skjold-Ledger-Integrity as a badge: a report made from a broken ledger stays visibly so. */
function IntegrityBadge({ t, header }: { t: T; header: string }) {
  const broken = header.startsWith("broken");
  return (
    <span className={`badge ${broken ? "bad" : "ok"}`} title={header}>
      {t(broken ? "residency.integrity.broken" : "residency.integrity.verified")}
    </span>
  );
}

/** Download buttons for the three formats, the ledger head they will name, and the recent exports with their digests. */
export function ExportsSection(props: {
  t: T;
  apiBase: string;
  asOf?: string;
  ledgerHead: { seq: string; hash: string };
  exports: ReportExportRecord[];
}) {
  const { t, apiBase, asOf, ledgerHead, exports } = props;
  return (
    <section className="card stack" aria-labelledby="exports">
      <h2 id="exports">{t("residency.reports")}</h2>
      <p className="muted">{asOf ? t("residency.reportsFor", { date: asOf }) : t("residency.reportsNow")}</p>
      <div className="row" data-testid="downloads">
        {(["csv", "json", "pdf"] as const).map((f) => (
          <a key={f} className="button secondary" href={reportHref(apiBase, f, asOf)} download>
            {t("residency.download", { format: f.toUpperCase() })}
          </a>
        ))}
      </div>
      <p className="muted">
        {t("residency.ledgerHead")}:{" "}
        <span className="mono" title={ledgerHead.hash}>
          #{ledgerHead.seq} {shortHash(ledgerHead.hash)}
        </span>
      </p>
      <p className="muted">{t("residency.digestHelp")}</p>
      {exports.length > 0 ? (
        <DataTable
          testId="recent-exports"
          rows={exports}
          rowKey={(e) => e.reportId}
          columns={[
            { key: "when", header: t("audit.when"), cell: (e) => utc(e.completedAt) },
            { key: "who", header: t("audit.who"), cell: (e) => e.exportedBy },
            { key: "format", header: t("residency.format"), className: "mono", cell: (e) => e.format.toUpperCase() },
            { key: "asOf", header: t("residency.asOf"), cell: (e) => (e.asOf ? utc(e.asOf) : t("residency.now")) },
            { key: "head", header: t("residency.ledgerHead"), className: "mono", cell: (e) => `#${e.ledgerHead.seq}` },
            {
              key: "integrity",
              header: t("residency.integrity"),
              cell: (e) => (e.integrity ? <IntegrityBadge t={t} header={e.integrity} /> : "-"),
            },
            { key: "sha256", header: "SHA-256", className: "mono break-all fine", cell: (e) => e.contentSha256 },
          ]}
        />
      ) : null}
    </section>
  );
}
