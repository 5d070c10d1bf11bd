import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { getCluster } from "@/lib/clusters/queries/get-cluster";
import { getPrisma } from "@/lib/db";
import { jobErrorText } from "@/app/_i18n/lib-text";
import { getT, pageTitle } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import { HardeningReportCard } from "@/app/(portal)/teams/[slug]/vms/[id]/hardening-report";
import {
  deleteClusterAction,
  retryClusterAction,
  setClusterApiAccessAction,
  verifyClusterAction,
} from "@/app/(portal)/teams/[slug]/clusters/actions";

export const generateMetadata = pageTitle("team.clusters");

const when = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export default async function ClusterPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const c = await getCluster({ prisma, principal: user, teamSlug: slug, clusterId: id }).catch(notFoundIfMissing);
  const canOperate = roleCan(role, "operate");
  const roleLabel = (r: string | null) => (r === "server" || r === "agent" ? t(`cluster.role.${r}`) : (r ?? "–"));
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${slug}`}>← {team.name}</Link> · <Link href={`/teams/${slug}/clusters`}>{t("team.clusters")}</Link>
      </p>
      <div className="row">
        <h1 className="flush">
          <span className="mono">{c.name}</span>
        </h1>
        <StatusBadge of="cluster" state={c.state} label={t(`clusterState.${c.state}`)} exposeState testId="cluster-state" />
      </div>
      {c.lastError ? (
        <p className="alert error" role="alert">
          {jobErrorText(c.lastError, t)}
        </p>
      ) : null}
      {canOperate && c.state === "FAILED" ? (
        <ActionForm
          action={retryClusterAction.bind(null, slug, c.id)}
          submit={t("cluster.retry")}
          variant="secondary"
          testId="retry-cluster"
        />
      ) : null}
      <section className="card" aria-label={c.name}>
        <dl className="facts" data-testid="cluster-facts">
          <dt>{t("common.region")}</dt>
          <dd>
            {c.region.name} <span className="mono muted">{c.region.code}</span> · {c.region.country} ·{" "}
            <span className={`badge${c.region.jurisdiction === "NO_EEA" ? " no" : ""}`}>{t(`jurisdiction.${c.region.jurisdiction}`)}</span>
          </dd>
          <dt>{t("cluster.k3sVersion")}</dt>
          <dd>
            <span className="mono">{c.k3sVersion}</span>{" "}
            <span className="muted">· {t(c.installMode === "AIRGAP" ? "cluster.airgap" : "cluster.online")}</span>
          </dd>
          <dt>{t("cluster.api")}</dt>
          <dd className="mono">{c.apiEndpoint ?? t("cluster.notYet")}</dd>
          <dt>{t("cluster.apiAllowFrom")}</dt>
          <dd data-testid="cluster-api-allow">
            {c.apiAllowFrom.length ? t("cluster.apiNodesAnd", { networks: c.apiAllowFrom.join(", ") }) : t("cluster.apiNodesOnly")}
          </dd>
          <dt>{t("common.created")}</dt>
          <dd>
            {when(c.createdAt)}{" "}
            {c.readyAt ? (
              <span className="muted">
                → {t("clusterState.READY")} {when(c.readyAt)}
              </span>
            ) : null}
          </dd>
        </dl>
        {canOperate && c.state !== "DELETED" ? (
          c.kubeconfigReady && c.state === "READY" ? (
            <p className="gap-above">
              <a className="button" href={`/api/v1/teams/${slug}/clusters/${c.id}/kubeconfig`} download data-testid="kubeconfig">
                {t("cluster.kubeconfig")}
              </a>{" "}
              <span className="muted">{t("cluster.kubeconfigAudited")}</span>
            </p>
          ) : (
            <p className="muted gap-above">{t("cluster.kubeconfigLater")}</p>
          )
        ) : null}
      </section>
      {canOperate && (c.state === "READY" || c.state === "FAILED") ? (
        <section className="card" aria-labelledby="cluster-api-access">
          <h2 id="cluster-api-access">{t("cluster.apiAccess")}</h2>
          <ActionForm
            action={setClusterApiAccessAction.bind(null, slug, c.id)}
            submit={t("cluster.apiAccessSave")}
            variant="secondary"
            testId="cluster-api-access"
          >
            <label>
              {t("cluster.apiAllowFrom")}
              <textarea
                name="apiAllowFrom"
                rows={2}
                autoComplete="off"
                spellCheck={false}
                placeholder="203.0.113.0/24"
                defaultValue={c.apiAllowFrom.join("\n")}
                aria-describedby="cluster-api-access-hint"
              />
              <span id="cluster-api-access-hint" className="muted">
                {t("cluster.apiAllowFromHint")} {t(c.state === "READY" ? "cluster.apiAccessReapply" : "cluster.apiAccessOnRetry")}
              </span>
            </label>
          </ActionForm>
        </section>
      ) : null}
      <section className="card" aria-labelledby="cluster-nodes">
        <h2 id="cluster-nodes">{t("cluster.nodes")}</h2>
        <DataTable
          testId="cluster-nodes"
          rows={c.nodes}
          rowKey={(n) => n.id}
          rowProps={(n) => ({ "data-node": n.name, "data-role": n.clusterRole ?? "" })}
          empty={t("cluster.noNodes")}
          columns={[
            { key: "role", header: t("common.role"), cell: (n) => roleLabel(n.clusterRole) },
            {
              key: "name",
              header: t("common.name"),
              cell: (n) => (
                <Link className="mono" href={`/teams/${slug}/vms/${n.id}`}>
                  {n.name}
                </Link>
              ),
            },
            {
              key: "state",
              header: t("vm.state"),
              cell: (n) => (
                <>
                  <StatusBadge of="vm" state={n.state} label={t(`vmState.${n.state}`)} exposeState />
                  {n.lastError ? <div className="step-error">{jobErrorText(n.lastError, t)}</div> : null}
                </>
              ),
            },
            {
              key: "address",
              header: t("vm.address"),
              className: "mono",
              cell: (n) => (n.sshHost && n.sshPort ? `${n.sshHost}:${n.sshPort}` : "–"),
            },
          ]}
        />
      </section>
      <HardeningReportCard report={c.hardeningReport} t={t}>
        {c.state === "READY" ? (
          <ActionForm
            action={verifyClusterAction.bind(null, slug, c.id)}
            submit={t("vm.verifyNow")}
            variant="secondary"
            inline
            testId="verify-cluster"
          />
        ) : null}
      </HardeningReportCard>
      {canOperate && c.state !== "DELETED" ? (
        <ActionForm
          action={deleteClusterAction.bind(null, slug, c.id)}
          submit={t("cluster.delete")}
          variant="danger"
          confirm={t("cluster.deleteConfirm", { name: c.name })}
        />
      ) : null}
    </div>
  );
}
