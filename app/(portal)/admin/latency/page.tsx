import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { countProbingHosts, listLatencyTargets } from "@/lib/latency/admin";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { addTargetAction, deleteTargetAction, editTargetAction, probeNowAction } from "./actions";
import { TargetFields } from "./target-fields";

export const generateMetadata = pageTitle("admin.latency");

const METHOD_LABEL = { icmp: "ICMP", tcp: "TCP", both: "ICMP + TCP" } as const;

export default async function AdminLatencyPage() {
  const principal = await requireUser();
  const { t } = await getT(principal.locale);
  const prisma = await getPrisma();
  const [targets, online] = await Promise.all([
    readAllPages((page) => listLatencyTargets({ prisma, principal, page })),
    countProbingHosts({ prisma, principal }),
  ]);
  return (
    <>
      <h1>{t("latency.adminTitle")}</h1>
      <p className="alert note" data-testid="no-shipped-addresses">
        {t("latency.adminIntro")}
      </p>
      <section className="card table-wrap">
        <h2>{t("latency.targets")}</h2>
        {targets.length === 0 ? <p className="muted">{t("latency.noTargetsAdmin")}</p> : null}
        {targets.length > 0 ? (
          <DataTable
            bare
            testId="latency-targets"
            rows={targets}
            rowKey={(tg) => tg.id}
            rowProps={(tg) => ({ "data-target": tg.name })}
            columns={[
              { key: "exchange", header: t("latency.exchange"), cell: (tg) => tg.exchange },
              { key: "name", header: t("common.name"), cell: (tg) => tg.name },
              {
                key: "address",
                header: t("latency.address"),
                className: "mono",
                cell: (tg) => `${tg.address}${tg.port ? `:${tg.port}` : ""}`,
              },
              { key: "method", header: t("latency.method"), cell: (tg) => METHOD_LABEL[tg.method] },
              { key: "count", header: t("latency.count"), cell: (tg) => tg.count },
              { key: "interval", header: t("latency.interval"), cell: (tg) => `${tg.intervalSec} s` },
              {
                key: "status",
                header: t("common.status"),
                cell: (tg) =>
                  tg.enabled ? (
                    <span className="badge ok">{t("latency.enabled")}</span>
                  ) : (
                    <span className="badge">{t("latency.disabled")}</span>
                  ),
              },
            ]}
            detail={(tg) => (
              <details>
                <summary className="muted">
                  {t("latency.edit")} {tg.name}
                </summary>
                <div className="stack detail-body">
                  <ActionForm action={editTargetAction} submit={t("common.save")} inline testId={`edit-${tg.name}`}>
                    <input type="hidden" name="id" value={tg.id} />
                    <TargetFields t={t} target={tg} />
                  </ActionForm>
                  <ActionForm
                    action={deleteTargetAction}
                    submit={t("latency.delete")}
                    variant="danger"
                    confirm={t("latency.confirmDelete")}
                  >
                    <input type="hidden" name="id" value={tg.id} />
                  </ActionForm>
                </div>
              </details>
            )}
          />
        ) : null}
      </section>
      <section className="card">
        <h2>{t("latency.addTarget")}</h2>
        <ActionForm action={addTargetAction} submit={t("latency.addTarget")} inline testId="add-target">
          <TargetFields t={t} />
        </ActionForm>
      </section>
      <section className="card stack" data-testid="probe-section">
        <h2>{t("latency.probeNow")}</h2>
        <p className="muted">{t("latency.probeIntro", { hosts: String(online) })}</p>
        <ActionForm action={probeNowAction} submit={t("latency.probeNow")} testId="probe-now" />
      </section>
    </>
  );
}
