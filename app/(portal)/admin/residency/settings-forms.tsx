import type { T } from "@/app/_i18n/server";
import { ActionForm } from "@/components/action-form";
import type { OperatorDetails } from "@/lib/residency/settings";
import { saveOperatorAction, setPortalLocationAction } from "./actions";

/** The processor details every report prints (Setting residency.operator). */
export function OperatorForm({ t, operator }: { t: T; operator: OperatorDetails | null }) {
  const field = (name: string, label: string, value?: string, type = "text", required = false) => (
    <label>
      {label}
      <input name={name} type={type} defaultValue={value ?? ""} required={required} maxLength={400} />
    </label>
  );
  return (
    <section className="card stack" aria-labelledby="operator">
      <h2 id="operator">{t("residency.operator")}</h2>
      <p className="muted">{t("residency.operatorHelp")}</p>
      <ActionForm action={saveOperatorAction} submit={t("common.save")} testId="operator-form">
        <div className="grid narrow">
          {field("company", t("residency.company"), operator?.company, "text", true)}
          {field("orgNumber", t("residency.orgNumber"), operator?.orgNumber)}
          {field("address", t("residency.address"), operator?.address)}
          {field("email", t("common.email"), operator?.email, "email")}
          {field("phone", t("residency.phone"), operator?.phone)}
          {field("dpoName", t("residency.dpoName"), operator?.dpo?.name)}
          {field("dpoEmail", t("residency.dpoEmail"), operator?.dpo?.email, "email")}
          {field("dpoPhone", t("residency.dpoPhone"), operator?.dpo?.phone)}
        </div>
        <label>
          {t("residency.securityMeasures")}
          <textarea name="securityMeasures" defaultValue={(operator?.securityMeasures ?? []).join("\n")} rows={4} />
        </label>
      </ActionForm>
    </section>
  );
}

/** Where the portal (and so every team's account data) runs (Setting portal.location). */
export function PortalLocationForm(props: {
  t: T;
  regions: { code: string; name: string; jurisdiction: string }[];
  current: { regionCode: string; hostName?: string } | null;
}) {
  const { t, regions, current } = props;
  return (
    <section className="card stack" aria-labelledby="portal-location">
      <h2 id="portal-location">{t("residency.portalLocation")}</h2>
      <p className="muted">{t("residency.portalLocationHelp")}</p>
      <p data-testid="portal-location">
        {current ? (
          <span className="mono">
            {current.regionCode}
            {current.hostName ? ` / ${current.hostName}` : ""}
          </span>
        ) : (
          <span className="badge warn">{t("residency.notConfigured")}</span>
        )}
      </p>
      <ActionForm action={setPortalLocationAction} submit={t("residency.moveLocation")} inline testId="portal-location-form">
        <label>
          {t("common.region")}
          <select name="regionCode" defaultValue={current?.regionCode ?? regions[0]?.code}>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>{`${r.name} (${r.code}, ${r.jurisdiction})`}</option>
            ))}
          </select>
        </label>
        <label>
          {t("residency.host")}
          <input name="hostName" defaultValue={current?.hostName ?? ""} maxLength={120} />
        </label>
      </ActionForm>
    </section>
  );
}
