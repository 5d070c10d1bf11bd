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
        <div className="table-wrap">
          <table data-testid="recent-exports">
            <thead>
              <tr>
                <th>{t("audit.when")}</th>
                <th>{t("audit.who")}</th>
                <th>{t("residency.format")}</th>
                <th>{t("residency.asOf")}</th>
                <th>{t("residency.ledgerHead")}</th>
                <th>{t("residency.integrity")}</th>
                <th>SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {exports.map((e) => (
                <tr key={e.reportId}>
                  <td>{utc(e.completedAt)}</td>
                  <td>{e.exportedBy}</td>
                  <td className="mono">{e.format.toUpperCase()}</td>
                  <td>{e.asOf ? utc(e.asOf) : t("residency.now")}</td>
                  <td className="mono">#{e.ledgerHead.seq}</td>
                  <td>{e.integrity ? <IntegrityBadge t={t} header={e.integrity} /> : "-"}</td>
                  <td className="mono" style={{ wordBreak: "break-all", fontSize: ".75rem" }}>
                    {e.contentSha256}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
