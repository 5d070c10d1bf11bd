import type { Metadata } from "next";
import { Fragment } from "react";
import { ActionForm } from "@/components/action-form";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { countProbingHosts, listLatencyTargets } from "@/lib/latency/admin";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { addTargetAction, deleteTargetAction, editTargetAction, probeNowAction } from "./actions";
import { TargetFields } from "./target-fields";

export const metadata: Metadata = { title: "Latency" };

// A neutral note: the .alert box without its error/ok colours.
const NOTE_STYLE = { borderColor: "var(--line)", background: "var(--panel)" };

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
      <p className="alert" style={NOTE_STYLE} data-testid="no-shipped-addresses">
        {t("latency.adminIntro")}
      </p>
      <section className="card table-wrap">
        <h2>{t("latency.targets")}</h2>
        {targets.length === 0 ? <p className="muted">{t("latency.noTargetsAdmin")}</p> : null}
        {targets.length > 0 ? (
          <table data-testid="latency-targets">
            <thead>
              <tr>
                <th>{t("latency.exchange")}</th>
                <th>{t("common.name")}</th>
                <th>{t("latency.address")}</th>
                <th>{t("latency.method")}</th>
                <th>{t("latency.count")}</th>
                <th>{t("latency.interval")}</th>
                <th>{t("common.status")}</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((tg) => (
                <Fragment key={tg.id}>
                  <tr data-target={tg.name}>
                    <td>{tg.exchange}</td>
                    <td>{tg.name}</td>
                    <td className="mono">
                      {tg.address}
                      {tg.port ? `:${tg.port}` : ""}
                    </td>
                    <td>{METHOD_LABEL[tg.method]}</td>
                    <td>{tg.count}</td>
                    <td>{tg.intervalSec} s</td>
                    <td>
                      {tg.enabled ? (
                        <span className="badge ok">{t("latency.enabled")}</span>
                      ) : (
                        <span className="badge">{t("latency.disabled")}</span>
                      )}
                    </td>
                  </tr>
                  <tr>
                    <td colSpan={7} style={{ paddingTop: 0 }}>
                      <details>
                        <summary className="muted">
                          {t("latency.edit")} {tg.name}
                        </summary>
                        <div className="stack" style={{ margin: "8px 0" }}>
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
                    </td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
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
