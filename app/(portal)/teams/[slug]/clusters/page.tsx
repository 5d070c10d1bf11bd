import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { formatBytes, mib } from "@/components/format-bytes";
import { StatusBadge } from "@/components/status-badge";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { listClusters } from "@/lib/clusters/queries/list-clusters";
import { DEFAULT_K3S_VERSION } from "@/lib/clusters/order/schemas";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { orderOptions } from "@/lib/vms/order/order-options";
import { getT, pageTitle } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import { orderClusterAction } from "./actions";
import { AGENTS } from "./agent-count";

export const generateMetadata = pageTitle("team.clusters");

export default async function ClusterListPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const clusters = await readAllPages((page) => listClusters({ prisma, principal: user, teamSlug: slug, page }));
  const options = roleCan(role, "operate") ? await orderOptions({ prisma, principal: user, teamSlug: slug }) : null;
  const range = { min: String(AGENTS.min), max: String(AGENTS.max) };
  const outsidePolicy = options ? t("order.outsidePolicy", { policy: t(`policy.${options.policy}`) }) : "";
  const regions = (options?.regions ?? []).map((r) => ({
    ...r,
    why: !r.allowedByPolicy ? outsidePolicy : !r.hasCapacity ? t(r.noHealthyHost ? "order.noHealthyHost" : "order.noCapacity") : null,
  }));
  // With no region to choose, show the first one with its reason rather than an empty picker.
  const firstRegion = (regions.find((r) => r.why === null) ?? regions[0])?.code;
  const noRegion = regions.every((r) => r.why !== null);
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${slug}`}>← {team.name}</Link>
      </p>
      <h1>{t("team.clusters")}</h1>
      <section className="card">
        <DataTable
          testId="cluster-list"
          rows={clusters}
          rowKey={(c) => c.id}
          rowProps={(c) => ({ "data-cluster": c.name })}
          empty={t("cluster.none")}
          columns={[
            {
              key: "name",
              header: t("common.name"),
              cell: (c) => (
                <Link className="mono" href={`/teams/${slug}/clusters/${c.id}`}>
                  {c.name}
                </Link>
              ),
            },
            {
              key: "state",
              header: t("vm.state"),
              cell: (c) => <StatusBadge of="cluster" state={c.state} label={t(`clusterState.${c.state}`)} exposeState />,
            },
            {
              key: "region",
              header: t("common.region"),
              cell: (c) => (
                <>
                  {c.region.name} <span className="muted">({c.region.country})</span>
                </>
              ),
            },
            { key: "k3s", header: t("cluster.k3sVersion"), className: "mono", cell: (c) => c.k3sVersion },
            { key: "api", header: t("cluster.api"), className: "mono", cell: (c) => c.apiEndpoint ?? "–" },
          ]}
        />
      </section>
      {options ? (
        <section className="card" aria-labelledby="order-cluster">
          <h2 id="order-cluster">{t("cluster.order")}</h2>
          <p className="muted">{t("cluster.orderIntro", { max: range.max })}</p>
          <ActionForm action={orderClusterAction.bind(null, slug)} submit={t("cluster.submit")} testId="order-cluster">
            <div className="grid">
              <label>
                {t("common.name")}
                <input
                  name="name"
                  required
                  maxLength={40}
                  pattern="[a-z0-9]([a-z0-9\-]{0,38}[a-z0-9])?"
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby="cluster-name-hint"
                />
                <span id="cluster-name-hint" className="muted">
                  {t("cluster.nameHint")}
                </span>
              </label>
              <label>
                {t("cluster.agents")}
                <input
                  name="agentCount"
                  type="number"
                  inputMode="numeric"
                  min={AGENTS.min}
                  max={AGENTS.max}
                  step={1}
                  defaultValue={AGENTS.min}
                  aria-describedby="cluster-agents-hint"
                />
                <span id="cluster-agents-hint" className="muted">
                  {t("cluster.agentsHint", range)}
                </span>
              </label>
              <label>
                {t("cluster.apiAllowFrom")}
                <textarea
                  name="apiAllowFrom"
                  rows={2}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="203.0.113.0/24"
                  aria-describedby="cluster-api-hint"
                />
                <span id="cluster-api-hint" className="muted">
                  {t("cluster.apiAllowFromHint")}
                </span>
              </label>
              <label>
                {t("order.region")}
                <select
                  name="regionCode"
                  required
                  defaultValue={firstRegion}
                  aria-describedby={noRegion ? "cluster-region-hint" : undefined}
                >
                  {regions.map((r) => (
                    <option key={r.code} value={r.code} disabled={r.why !== null}>
                      {r.name} ({r.country}, {t(`jurisdiction.${r.jurisdiction}`)}){r.why ? ` — ${r.why}` : ""}
                    </option>
                  ))}
                </select>
                {noRegion ? (
                  <span id="cluster-region-hint" className="muted" data-testid="cluster-no-region">
                    {t("cluster.noRegion")}
                  </span>
                ) : null}
              </label>
              <label>
                {t("order.plan")}
                <select name="planCode" required>
                  {options.plans.map((p) => (
                    <option key={p.code} value={p.code}>
                      {p.name}: {p.vcpus} vCPU · {formatBytes(mib(p.memoryMb), { unit: "GiB", decimals: 1, trim: true, bare: true })} GiB
                      RAM · {p.diskGb} GB NVMe
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("order.image")}
                <select name="imageSlug" required>
                  {options.images.map((i) => (
                    <option key={i.slug} value={i.slug}>
                      {i.name}
                    </option>
                  ))}
                </select>
              </label>
              {/* biome-ignore lint/a11y/noLabelWithoutControl: it wraps the key select whenever the user has a key */}
              <label>
                {t("order.sshKey")}
                {options.sshKeys.length === 0 ? (
                  <span className="muted">
                    {t("order.noKeys")} <Link href="/account/keys">{t("order.addKey")}</Link>
                  </span>
                ) : (
                  <select name="sshKeyId" required>
                    {options.sshKeys.map((k) => (
                      <option key={k.id} value={k.id}>
                        {k.name} ({k.fingerprint})
                      </option>
                    ))}
                  </select>
                )}
              </label>
              <label>
                {t("cluster.k3sVersion")}
                <input name="k3sVersion" defaultValue={DEFAULT_K3S_VERSION} autoComplete="off" spellCheck={false} />
              </label>
            </div>
          </ActionForm>
        </section>
      ) : null}
    </div>
  );
}
