import { DataTable } from "@/components/data-table";
import type { T } from "@/app/_i18n/server";
import type { LocationInterval } from "@/lib/residency/intervals";
import type { ResidencyView } from "@/lib/residency/view";
import { utc } from "./format";

function LocationRows({ rows, t, showTeam, showUntil }: { rows: LocationInterval[]; t: T; showTeam: boolean; showUntil?: boolean }) {
  return (
    <DataTable
      rows={rows}
      rowKey={(i) => i.seq.toString()}
      columns={[
        showTeam && { key: "team", header: t("residency.team"), className: "mono", cell: (i) => i.teamSlug ?? "-" },
        {
          key: "resource",
          header: t("residency.resource"),
          cell: (i) => (
            <>
              {i.resourceName}
              <div className="mono muted fine">{i.resourceId}</div>
            </>
          ),
        },
        { key: "kind", header: t("residency.kind"), className: "mono", cell: (i) => i.resourceKind },
        { key: "host", header: t("residency.host"), className: "mono", cell: (i) => i.hostName ?? "-" },
        { key: "pool", header: t("residency.pool"), className: "mono", cell: (i) => i.poolName ?? "-" },
        { key: "path", header: t("residency.path"), className: "mono break-all", cell: (i) => i.path ?? "-" },
        { key: "region", header: t("common.region"), className: "mono", cell: (i) => i.regionCode },
        { key: "country", header: t("regions.country"), cell: (i) => i.country },
        {
          key: "jurisdiction",
          header: t("regions.jurisdiction"),
          cell: (i) => <span className={i.jurisdiction === "THIRD_COUNTRY" ? "badge bad" : "badge"}>{i.jurisdiction}</span>,
        },
        { key: "since", header: t("residency.since"), cell: (i) => utc(i.from) },
        showUntil && { key: "until", header: t("residency.until"), cell: (i) => (i.until ? utc(i.until) : t("residency.stillThere")) },
      ]}
    />
  );
}

/** "Where is the data": held locations at a date, totals per jurisdiction, transfers outside the EEA. */
export function LocationsSection({
  view,
  t,
  isNow,
  asOfValue,
  showTeam,
}: {
  view: ResidencyView;
  t: T;
  isNow: boolean;
  asOfValue?: string;
  showTeam: boolean;
}) {
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section className="card stack" aria-labelledby="where">
      <div className="row spread">
        <h2 id="where" className="flush">
          {isNow ? t("residency.whereNow") : t("residency.whereAt", { date: utc(view.asOf) })}
        </h2>
        <form method="get" className="inline" data-testid="as-of-form">
          <label>
            {t("residency.asOf")}
            <input type="date" name="asOf" max={today} defaultValue={asOfValue?.slice(0, 10)} />
          </label>
          <button type="submit" className="secondary">
            {t("residency.show")}
          </button>
          {isNow ? null : (
            <a className="button secondary" href="?">
              {t("residency.now")}
            </a>
          )}
        </form>
      </div>
      {view.locations.length === 0 ? (
        <p className="muted" data-testid="no-locations">
          {t("residency.noLocations")}
        </p>
      ) : (
        <div data-testid="locations">
          <LocationRows rows={view.locations} t={t} showTeam={showTeam} />
          {view.heldCount > view.locations.length ? (
            <p className="muted">{t("residency.truncated", { shown: String(view.locations.length), total: String(view.heldCount) })}</p>
          ) : null}
        </div>
      )}

      <h3>{t("residency.totals")}</h3>
      {view.totals.length === 0 ? (
        <p className="muted">{t("common.none")}</p>
      ) : (
        <DataTable
          bare
          className="compact"
          testId="totals"
          rows={view.totals}
          rowKey={(g) => `${g.jurisdiction}/${g.country}`}
          columns={[
            {
              key: "jurisdiction",
              header: t("regions.jurisdiction"),
              cell: (g) => <span className={g.outsideEea ? "badge bad" : "badge"}>{g.jurisdiction}</span>,
            },
            { key: "country", header: t("regions.country"), cell: (g) => g.country },
            { key: "held", header: t("residency.held"), cell: (g) => g.openAtAsOf },
          ]}
        />
      )}

      <h3>{t("residency.transfers")}</h3>
      <div data-testid="transfers">
        {view.transferCount === 0 ? (
          <p className="alert ok">{t("residency.noTransfers")}</p>
        ) : (
          <>
            <p className="alert error">{t("residency.someTransfers", { count: String(view.transferCount) })}</p>
            <LocationRows rows={view.transfers} t={t} showTeam={showTeam} showUntil />
          </>
        )}
      </div>
    </section>
  );
}
