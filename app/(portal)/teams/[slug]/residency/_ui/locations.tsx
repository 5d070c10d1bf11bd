import type { T } from "@/app/_i18n/server";
import type { LocationInterval } from "@/lib/residency/intervals";
import type { ResidencyView } from "@/lib/residency/view";
import { utc } from "./format";

function LocationRows({ rows, t, showTeam, showUntil }: { rows: LocationInterval[]; t: T; showTeam: boolean; showUntil?: boolean }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {showTeam ? <th>{t("residency.team")}</th> : null}
            <th>{t("residency.resource")}</th>
            <th>{t("residency.kind")}</th>
            <th>{t("residency.host")}</th>
            <th>{t("residency.pool")}</th>
            <th>{t("residency.path")}</th>
            <th>{t("common.region")}</th>
            <th>{t("regions.country")}</th>
            <th>{t("regions.jurisdiction")}</th>
            <th>{t("residency.since")}</th>
            {showUntil ? <th>{t("residency.until")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr key={i.seq.toString()}>
              {showTeam ? <td className="mono">{i.teamSlug ?? "-"}</td> : null}
              <td>
                {i.resourceName}
                <div className="mono muted" style={{ fontSize: ".75rem" }}>
                  {i.resourceId}
                </div>
              </td>
              <td className="mono">{i.resourceKind}</td>
              <td className="mono">{i.hostName ?? "-"}</td>
              <td className="mono">{i.poolName ?? "-"}</td>
              <td className="mono" style={{ wordBreak: "break-all" }}>
                {i.path ?? "-"}
              </td>
              <td className="mono">{i.regionCode}</td>
              <td>{i.country}</td>
              <td>
                <span className={i.jurisdiction === "THIRD_COUNTRY" ? "badge bad" : "badge"}>{i.jurisdiction}</span>
              </td>
              <td>{utc(i.from)}</td>
              {showUntil ? <td>{i.until ? utc(i.until) : t("residency.stillThere")}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="where" style={{ margin: 0 }}>
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
        <table data-testid="totals" style={{ maxWidth: 520 }}>
          <thead>
            <tr>
              <th>{t("regions.jurisdiction")}</th>
              <th>{t("regions.country")}</th>
              <th>{t("residency.held")}</th>
            </tr>
          </thead>
          <tbody>
            {view.totals.map((g) => (
              <tr key={`${g.jurisdiction}/${g.country}`}>
                <td>
                  <span className={g.outsideEea ? "badge bad" : "badge"}>{g.jurisdiction}</span>
                </td>
                <td>{g.country}</td>
                <td>{g.openAtAsOf}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
