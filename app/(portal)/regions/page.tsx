import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { RegionLatency } from "@/components/region-latency";
import { listRegions } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { nixLatencyByRegion } from "@/lib/latency/nix-latency";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { JURISDICTION_KEY, regionLatencyLabels } from "./labels";

export const generateMetadata = pageTitle("nav.regions");

export default async function RegionsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const [regions, figures] = await Promise.all([
    readAllPages((page) => listRegions({ prisma, activeOnly: true, page })),
    nixLatencyByRegion({ prisma }),
  ]);
  const exchange = Object.values(figures)[0]?.exchange;
  const labels = regionLatencyLabels(t);
  return (
    <>
      <h1>{t("nav.regions")}</h1>
      <p className="muted">{t("latency.regionsIntro")}</p>
      {!exchange ? <p className="alert note">{t("latency.noTargets")}</p> : null}
      <section className="card table-wrap">
        <DataTable
          bare
          testId="region-list"
          rows={regions}
          rowKey={(r) => r.id}
          rowProps={(r) => ({ "data-region": r.code })}
          columns={[
            {
              key: "region",
              header: t("common.region"),
              cell: (r) => (
                <>
                  <Link href={`/regions/${r.code}`}>{r.name}</Link> <span className="muted mono">{r.code}</span>
                </>
              ),
            },
            { key: "city", header: t("regions.city"), cell: (r) => r.city },
            { key: "country", header: t("regions.country"), cell: (r) => r.country },
            {
              key: "jurisdiction",
              header: t("regions.jurisdiction"),
              cell: (r) => (
                <span className={`badge ${r.jurisdiction === "NO_EEA" ? "no" : ""}`}>{t(JURISDICTION_KEY[r.jurisdiction])}</span>
              ),
            },
            {
              key: "latency",
              header: exchange ? t("latency.toExchange", { exchange }) : t("latency.latency"),
              cell: (r) => <RegionLatency figure={figures[r.code]} labels={labels} />,
            },
          ]}
        />
      </section>
    </>
  );
}
