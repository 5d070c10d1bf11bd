import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { getPrisma } from "@/lib/db";
import { listWarmPools } from "@/lib/vms/warm/list-warm-pools";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { setWarmPoolAction } from "./actions";

export const generateMetadata = pageTitle("admin.warmPools");

export default async function WarmPoolsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const pools = await listWarmPools({ prisma: await getPrisma(), principal: user });
  const secs = (s: number | null) => (s === null ? "—" : t("warm.seconds", { seconds: s.toFixed(1) }));
  return (
    <>
      <h1>{t("admin.warmPools")}</h1>
      <p className="muted">{t("warm.intro")}</p>
      <section className="card table-wrap">
        <DataTable
          bare
          testId="warm-pools"
          rows={pools}
          rowKey={(p) => p.id}
          empty={t("warm.none")}
          rowProps={(p) => ({ "data-pool": `${p.region}/${p.plan}/${p.image}` })}
          columns={[
            { key: "pool", header: t("warm.pool"), className: "mono", cell: (p) => `${p.region}/${p.plan}/${p.image}` },
            { key: "size", header: t("warm.size"), cell: (p) => p.size },
            { key: "ready", header: t("warm.ready"), cell: (p) => p.ready },
            { key: "warming", header: t("warm.warming"), cell: (p) => p.warming },
            { key: "failed", header: t("warm.failed"), cell: (p) => p.failed },
            {
              key: "health",
              header: t("warm.health"),
              cell: (p) =>
                p.failing ? (
                  <span className="badge bad" data-testid="warm-failing" title={p.failing.lastError ?? undefined}>
                    {p.failing.retryAt
                      ? t("warm.failingBackoff", {
                          failures: p.failing.failures,
                          at: new Date(p.failing.retryAt).toISOString().slice(11, 19),
                        })
                      : t("warm.failingRetry", { failures: p.failing.failures })}
                  </span>
                ) : (
                  t("warm.healthy")
                ),
            },
            { key: "served", header: t("warm.served"), cell: (p) => p.served },
            { key: "median", header: t("warm.medianServed"), cell: (p) => secs(p.medianServedSeconds) },
            { key: "last", header: t("warm.lastServed"), cell: (p) => secs(p.lastServedSeconds) },
          ]}
        />
      </section>
      <section className="card">
        <h2>{t("warm.set")}</h2>
        <ActionForm action={setWarmPoolAction} submit={t("warm.save")} inline>
          <label>
            {t("admin.regions")}
            <input name="region" required maxLength={32} />
          </label>
          <label>
            {t("admin.plans")}
            <input name="plan" required maxLength={32} />
          </label>
          <label>
            {t("admin.images")}
            <input name="image" required maxLength={64} />
          </label>
          <label>
            {t("warm.size")}
            <input name="size" type="number" min={0} max={50} required defaultValue={0} title={t("warm.sizeHint")} />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
