import Link from "next/link";
import { notFound } from "next/navigation";
import { LatencyChart } from "@/components/latency-chart";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { CHART_WINDOWS, ChartWindowSchema, findLatencyRegion, regionLatencyCharts, regionLatencyReport } from "@/lib/latency/region-report";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { JURISDICTION_KEY, latencyChartLabels } from "@/app/(portal)/regions/labels";
import { FiguresTable } from "./figures-table";

export const generateMetadata = pageTitle("common.region");

export default async function RegionPage(props: { params: Promise<{ code: string }>; searchParams: Promise<{ window?: string }> }) {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const { code } = await props.params;
  const window = ChartWindowSchema.catch("24h").parse((await props.searchParams).window);
  const region = await findLatencyRegion({ prisma, code, includeInactive: user.isAdmin }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const [report, charts] = await Promise.all([
    regionLatencyReport({ prisma, code, includeInactive: user.isAdmin }),
    regionLatencyCharts({ prisma, regionId: region.id, window }),
  ]);
  const chartLabels = latencyChartLabels(t);
  return (
    <>
      <p className="muted">
        <Link href="/regions">← {t("nav.regions")}</Link>
      </p>
      <h1>
        {region.name} <span className="muted mono">{region.code}</span>
      </h1>
      <section className="card">
        <dl className="row region-facts" data-testid="region-facts">
          {[
            [t("regions.city"), region.city],
            [t("regions.country"), region.country],
            [t("regions.jurisdiction"), t(JURISDICTION_KEY[region.jurisdiction])],
            ...(region.datacenter ? [[t("latency.datacenter"), region.datacenter]] : []),
          ].map(([k, v]) => (
            <div key={k}>
              <dt className="muted">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card">
        <h2>{t("latency.current")}</h2>
        {report.figures.length === 0 ? (
          <p className="muted" data-testid="no-targets">
            {t("latency.noTargets")}
          </p>
        ) : (
          <div className="table-wrap stack">
            <FiguresTable figures={report.figures} t={t} />
            <p className="muted small">{t("latency.figuresNote")}</p>
          </div>
        )}
      </section>
      <section className="card stack">
        <div className="row spread">
          <h2 className="flush">{t("latency.overTime")}</h2>
          <nav aria-label={t("latency.window")} className="row tight" data-testid="window-selector">
            {Object.keys(CHART_WINDOWS).map((w) => (
              <Link
                key={w}
                href={`/regions/${region.code}?window=${w}`}
                className={`button ${w === window ? "" : "secondary"}`}
                aria-current={w === window ? "page" : undefined}
              >
                {w}
              </Link>
            ))}
          </nav>
        </div>
        {charts.length === 0 ? <p className="muted">{t("latency.noTargets")}</p> : null}
        {charts.map((c) => (
          <LatencyChart key={c.targetId} chart={c} labels={chartLabels} />
        ))}
      </section>
    </>
  );
}
