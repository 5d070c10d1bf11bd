import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { getCluster } from "@/lib/clusters/queries/get-cluster";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { currentUser, notFoundIfMissing, requireUser } from "@/app/_server/request";
import { HardeningReportCard } from "@/app/(portal)/teams/[slug]/vms/[id]/hardening-report";
import {
  deleteClusterAction,
  retryClusterAction,
  setClusterApiAccessAction,
  verifyClusterAction,
} from "@/app/(portal)/teams/[slug]/clusters/actions";
import { CLUSTER_BADGE, NODE_BADGE } from "@/app/(portal)/teams/[slug]/clusters/badges";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT((await currentUser())?.locale);
  return { title: t("team.clusters") };
}

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
        <h1 style={{ margin: 0 }}>
          <span className="mono">{c.name}</span>
        </h1>
        <span className={`badge ${CLUSTER_BADGE[c.state]}`} data-testid="cluster-state" data-state={c.state}>
          {t(`clusterState.${c.state}`)}
        </span>
      </div>
      {c.lastError ? (
        <p className="alert error" role="alert">
          {c.lastError}
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
            <p style={{ marginTop: 16 }}>
              <a className="button" href={`/api/v1/teams/${slug}/clusters/${c.id}/kubeconfig`} download data-testid="kubeconfig">
                {t("cluster.kubeconfig")}
              </a>{" "}
              <span className="muted">{t("cluster.kubeconfigAudited")}</span>
            </p>
          ) : (
            <p className="muted" style={{ marginTop: 16 }}>
              {t("cluster.kubeconfigLater")}
            </p>
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
        {c.nodes.length === 0 ? (
          <p className="muted">{t("cluster.noNodes")}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="cluster-nodes">
              <thead>
                <tr>
                  <th>{t("common.role")}</th>
                  <th>{t("common.name")}</th>
                  <th>{t("vm.state")}</th>
                  <th>{t("vm.address")}</th>
                </tr>
              </thead>
              <tbody>
                {c.nodes.map((n) => (
                  <tr key={n.id} data-node={n.name} data-role={n.clusterRole ?? ""}>
                    <td>{roleLabel(n.clusterRole)}</td>
                    <td>
                      <Link className="mono" href={`/teams/${slug}/vms/${n.id}`}>
                        {n.name}
                      </Link>
                    </td>
                    <td>
                      <span className={`badge ${NODE_BADGE[n.state]}`} data-state={n.state}>
                        {t(`vmState.${n.state}`)}
                      </span>
                      {n.lastError ? <div className="step-error">{n.lastError}</div> : null}
                    </td>
                    <td className="mono">{n.sshHost && n.sshPort ? `${n.sshHost}:${n.sshPort}` : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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
