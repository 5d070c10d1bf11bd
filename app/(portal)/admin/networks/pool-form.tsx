import type { ReactNode } from "react";
import { ActionForm, FieldError } from "@/components/action-form";
import type { T } from "@/app/_i18n/server";
import { createPoolAction } from "./actions";

/** Adding a pool; a refusal is shown next to each field it names (cidr, gateway, hostName…). */
export function PoolForm(props: { t: T; regions: { code: string; name: string }[]; routedHosts: { name: string; region: string }[] }) {
  const { t } = props;
  const field = (name: string, label: string, input: ReactNode) => (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `input`, passed in by each call below
    <label>
      {label}
      {input}
      <FieldError name={name} />
    </label>
  );
  return (
    <section className="card">
      <h2>{t("networks.add")}</h2>
      <p className="muted">{t("networks.addHelp")}</p>
      <ActionForm action={createPoolAction} submit={t("networks.create")} inline testId="add-pool">
        {field("name", t("networks.name"), <input name="name" required maxLength={63} placeholder="osl1-v4-a" />)}
        {field(
          "regionCode",
          t("networks.region"),
          <select name="regionCode" defaultValue={props.regions[0]?.code}>
            {props.regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name} ({r.code})
              </option>
            ))}
          </select>,
        )}
        {field(
          "family",
          t("networks.family"),
          <select name="family" defaultValue="IPV4">
            <option value="IPV4">IPv4</option>
            <option value="IPV6">IPv6</option>
          </select>,
        )}
        {field(
          "kind",
          t("networks.kind"),
          <select name="kind" defaultValue="segment">
            <option value="segment">{t("networks.kindSegment")}</option>
            <option value="routed">{t("networks.kindRouted")}</option>
          </select>,
        )}
        {field(
          "hostName",
          t("networks.host"),
          <select name="hostName" defaultValue="">
            <option value="">{t("networks.noHost")}</option>
            {props.routedHosts.map((h) => (
              <option key={h.name} value={h.name}>
                {h.name} ({h.region})
              </option>
            ))}
          </select>,
        )}
        {field("cidr", t("networks.cidr"), <input name="cidr" required maxLength={64} placeholder="203.0.113.0/24" />)}
        {field("gateway", t("networks.gateway"), <input name="gateway" maxLength={64} placeholder="203.0.113.1" />)}
        {field("rangeStart", t("networks.rangeStart"), <input name="rangeStart" maxLength={64} />)}
        {field("rangeEnd", t("networks.rangeEnd"), <input name="rangeEnd" maxLength={64} />)}
        {field("reserved", t("networks.reservedField"), <input name="reserved" placeholder={t("networks.listHint")} />)}
        {field("dns", t("networks.dnsField"), <input name="dns" placeholder={t("networks.listHint")} />)}
      </ActionForm>
    </section>
  );
}
