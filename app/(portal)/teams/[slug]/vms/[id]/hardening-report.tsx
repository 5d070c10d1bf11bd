import type { ReactNode } from "react";
import { z } from "zod";
import { DataTable } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { controlResultSchema } from "@/lib/guest/report";
import { controlTitle, evidenceText } from "@/app/_i18n/lib-text";
import type { T } from "@/app/_i18n/server";

// The latest hardening report: one row per control with what was read on the machine.
const Controls = z.array(controlResultSchema);
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
          <DataTable
            rows={controls.data}
            rowKey={(c) => c.id}
            rowProps={(c) => ({ "data-control": c.id, "data-drift": drift.has(c.id) ? "true" : undefined })}
            columns={[
              {
                key: "control",
                header: t("vm.control"),
                cell: (c) => (
                  <>
                    {controlTitle(c, t)} <div className="mono muted">{c.id}</div>
                  </>
                ),
              },
              {
                key: "status",
                header: t("common.status"),
                cell: (c) => <StatusBadge of="control" state={c.status} label={t(STATUS_LABEL[c.status])} />,
              },
              {
                key: "evidence",
                header: t("vm.evidence"),
                className: "mono",
                cell: (c) => {
                  const evidence = evidenceText(c.evidence, t);
                  return evidence.length > 300 ? `${evidence.slice(0, 300)}…` : evidence;
                },
              },
              { key: "reference", header: t("vm.reference"), cell: (c) => c.references.join(", ") },
            ]}
          />
        </>
      )}
    </section>
  );
}
