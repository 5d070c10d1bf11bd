import type { Metadata } from "next";
import Link from "next/link";
import { RegionLatency } from "@/components/region-latency";
import { listRegions } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { nixLatencyByRegion } from "@/lib/latency/nix-latency";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { JURISDICTION_KEY, regionLatencyLabels } from "./labels";

export const metadata: Metadata = { title: "Regions" };

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
      {!exchange ? (
        <p className="alert" style={{ borderColor: "var(--line)", background: "var(--panel)" }}>
          {t("latency.noTargets")}
        </p>
      ) : null}
      <section className="card table-wrap">
        <table data-testid="region-list">
          <thead>
            <tr>
              <th>{t("common.region")}</th>
              <th>{t("regions.city")}</th>
              <th>{t("regions.country")}</th>
              <th>{t("regions.jurisdiction")}</th>
              <th>{exchange ? t("latency.toExchange", { exchange }) : t("latency.latency")}</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.id} data-region={r.code}>
                <td>
                  <Link href={`/regions/${r.code}`}>{r.name}</Link> <span className="muted mono">{r.code}</span>
                </td>
                <td>{r.city}</td>
                <td>{r.country}</td>
                <td>
                  <span className={`badge ${r.jurisdiction === "NO_EEA" ? "no" : ""}`}>{t(JURISDICTION_KEY[r.jurisdiction])}</span>
                </td>
                <td>
                  <RegionLatency figure={figures[r.code]} labels={labels} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
