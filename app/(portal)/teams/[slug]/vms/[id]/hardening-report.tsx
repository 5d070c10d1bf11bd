import { z } from "zod";
import { controlResultSchema } from "@/lib/guest/report";
import type { T } from "../../../../../_i18n/server";

// The latest hardening report: one row per control with what was read on the machine.
const Controls = z.array(controlResultSchema);
const STATUS: Record<string, string> = { pass: "ok", fail: "bad", not_applicable: "" };

export function HardeningReportCard(props: { report: { createdAt: Date; passed: number; failed: number; notApplicable: number; controls: unknown } | null; t: T }) {
  const { t, report } = props;
  const controls = report ? Controls.safeParse(report.controls) : null;
  return (
    <section className="card" aria-labelledby="hardening" data-testid="hardening-report">
      <h2 id="hardening">{t("vm.hardening")}</h2>
      {!report || !controls?.success ? (
        <p className="muted">{t("vm.noReport")}</p>
      ) : (
        <>
          <p>
            <span className="badge ok">{report.passed} pass</span> <span className={`badge ${report.failed ? "bad" : ""}`}>{report.failed} fail</span>{" "}
            <span className="badge">{report.notApplicable} n/a</span> <span className="muted">· {report.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</span>
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("vm.control")}</th>
                  <th>{t("common.status")}</th>
                  <th>{t("vm.evidence")}</th>
                  <th>{t("vm.reference")}</th>
                </tr>
              </thead>
              <tbody>
                {controls.data.map((c) => (
                  <tr key={c.id} data-control={c.id}>
                    <td>
                      {c.title} <div className="mono muted">{c.id}</div>
                    </td>
                    <td>
                      <span className={`badge ${STATUS[c.status]}`}>{c.status.replace("_", " ")}</span>
                    </td>
                    <td className="mono">{c.evidence.length > 300 ? `${c.evidence.slice(0, 300)}…` : c.evidence}</td>
                    <td>{c.references.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
