import type { AddressAssignment } from "@/lib/network/address-history";
import type { T } from "@/app/_i18n/server";
import { utcMinute } from "./format";

export type Lookup =
  | { state: "none" }
  | { state: "refused"; address: string; at: string; message: string }
  | {
      state: "found";
      address: string;
      at: string;
      result: { address: string; at: Date; holders: AddressAssignment[]; history: AddressAssignment[] };
    };

const unit = (a: AddressAssignment) => (a.prefixLen === 64 ? `${a.address}/64` : a.address);

function Assignments({ rows, t, testId }: { rows: AddressAssignment[]; t: T; testId: string }) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>{t("networks.vm")}</th>
          <th>{t("networks.team")}</th>
          <th>{t("networks.unit")}</th>
          <th>{t("networks.from")}</th>
          <th>{t("networks.to")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={`${a.poolId}|${a.address}|${a.assignedAt.toISOString()}`}>
            <td>{a.vm.name}</td>
            <td>{a.team.slug}</td>
            <td className="mono">{unit(a)}</td>
            <td>{utcMinute(a.assignedAt)}</td>
            <td>{a.releasedAt ? utcMinute(a.releasedAt) : <span className="badge ok">{t("networks.stillHeld")}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Who had this address?": a plain GET form, so an answer has a URL an abuse ticket can quote. */
export function AddressLookup({ lookup, t }: { lookup: Lookup; t: T }) {
  const typed = lookup.state === "none" ? { address: "", at: "" } : lookup;
  return (
    <section className="card stack" data-testid="address-lookup">
      <h2>{t("networks.whoTitle")}</h2>
      <p className="muted">{t("networks.whoHelp")}</p>
      <form method="get" className="inline">
        <label>
          {t("networks.address")}
          <input name="address" required maxLength={64} defaultValue={typed.address} placeholder="203.0.113.7" />
        </label>
        <label>
          {t("networks.at")}
          <input name="at" type="datetime-local" defaultValue={typed.at} />
        </label>
        <div>
          <button type="submit" className="secondary">
            {t("networks.lookUp")}
          </button>
        </div>
      </form>
      {lookup.state === "refused" ? (
        <p className="alert error" role="alert">
          {lookup.message}
        </p>
      ) : null}
      {lookup.state === "found" ? (
        <div className="stack" data-testid="lookup-result">
          {lookup.result.holders.length === 0 ? (
            <p>{t("networks.nobody", { address: lookup.result.address, at: utcMinute(lookup.result.at) })}</p>
          ) : (
            <>
              <p>{t("networks.heldBy", { address: lookup.result.address, at: utcMinute(lookup.result.at) })}</p>
              <Assignments rows={lookup.result.holders} t={t} testId="holders" />
            </>
          )}
          <h3>{t("networks.history", { address: lookup.result.address })}</h3>
          {lookup.result.history.length === 0 ? (
            <p className="muted">{t("networks.noHistory")}</p>
          ) : (
            <Assignments rows={lookup.result.history} t={t} testId="history" />
          )}
        </div>
      ) : null}
    </section>
  );
}
