import type { ReactNode } from "react";
import { z } from "zod";
import { controlResultSchema } from "@/lib/guest/report";
import type { T } from "@/app/_i18n/server";

// The latest hardening report: one row per control with what was read on the machine.
const Controls = z.array(controlResultSchema);
const STATUS: Record<string, string> = { pass: "ok", fail: "bad", not_applicable: "" };
const STATUS_LABEL = { pass: "vm.statusPass", fail: "vm.statusFail", not_applicable: "vm.statusNa" } as const;

/** `children`: what a reader can do with the report (re-run the checks, download it), shown under the title. */
export function HardeningReportCard(props: {
  report: { createdAt: Date; passed: number; failed: number; notApplicable: number; controls: unknown; driftFrom?: string | null } | null;
  t: T;
  children?: ReactNode;
}) {
  const { t, report } = props;
  const controls = report ? Controls.safeParse(report.controls) : null;
  const drift = new Set(report?.driftFrom ? report.driftFrom.split(",") : []);
  return (
    <section className="card" aria-labelledby="hardening" data-testid="hardening-report">
      <h2 id="hardening">{t("vm.hardening")}</h2>
      {props.children ? <div className="row">{props.children}</div> : null}
      {drift.size > 0 ? (
        <p className="alert error" role="alert" data-testid="hardening-drift">
          {t("vm.drift", { controls: [...drift].join(", ") })}
        </p>
      ) : null}
      {!report || !controls?.success ? (
        <p className="muted">{t("vm.noReport")}</p>
      ) : (
        <>
          <p>
            <span className="badge ok">
              {report.passed} {t("vm.statusPass")}
            </span>{" "}
            <span className={`badge ${report.failed ? "bad" : ""}`}>
              {report.failed} {t("vm.statusFail")}
            </span>{" "}
            <span className="badge">
              {report.notApplicable} {t("vm.statusNa")}
            </span>{" "}
            <span className="muted">· {report.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</span>
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
                  <tr key={c.id} data-control={c.id} data-drift={drift.has(c.id) ? "true" : undefined}>
                    <td>
                      {c.title} <div className="mono muted">{c.id}</div>
                    </td>
                    <td>
                      <span className={`badge ${STATUS[c.status]}`}>{t(STATUS_LABEL[c.status])}</span>
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
