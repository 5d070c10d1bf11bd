import { DataTable } from "@/components/data-table";
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
    <DataTable
      testId={testId}
      rows={rows}
      rowKey={(a) => `${a.poolId}|${a.address}|${a.assignedAt.toISOString()}`}
      columns={[
        { key: "vm", header: t("networks.vm"), cell: (a) => a.vm.name },
        { key: "team", header: t("networks.team"), cell: (a) => a.team.slug },
        { key: "unit", header: t("networks.unit"), className: "mono", cell: (a) => unit(a) },
        { key: "from", header: t("networks.from"), cell: (a) => utcMinute(a.assignedAt) },
        {
          key: "to",
          header: t("networks.to"),
          cell: (a) => (a.releasedAt ? utcMinute(a.releasedAt) : <span className="badge ok">{t("networks.stillHeld")}</span>),
        },
      ]}
    />
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
