import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { ruleText } from "@/lib/firewall/rule-lines";
import type { getVmFirewall } from "@/lib/vms/firewall/get-vm-firewall";
import type { RuleSetView } from "@/lib/vms/firewall/rule-set-view";
import type { T } from "@/app/_i18n/server";
import { vmFirewallAction } from "./actions";

/**
 * The VM's host firewall: the rule sets applied, the effective rules, and (for members) which of the
 * team's sets it has. On a lab-trial host it says, in words, that nothing is enforced there.
 */
export function FirewallSection(props: {
  t: T;
  slug: string;
  vmId: string;
  host: string | null;
  firewall: Awaited<ReturnType<typeof getVmFirewall>>;
  sets: RuleSetView[];
  operate: boolean;
}) {
  const { t, firewall: fw } = props;
  const applied = new Set(fw.ruleSets.map((s) => s.id));
  return (
    <section className="card" aria-labelledby="vm-firewall" data-testid="vm-firewall">
      <h2 id="vm-firewall">{t("firewall.vmTitle")}</h2>
      {!fw.enforced ? (
        <p className="alert note">{t("firewall.vmNotEnforced", { host: props.host ?? "" })}</p>
      ) : !fw.effective ? (
        <p className="muted">{t("firewall.vmNone")}</p>
      ) : (
        <>
          <p>
            {t("firewall.vmEffective", {
              outbound: t(fw.effective.outbound === "deny" ? "firewall.outboundDeny" : "firewall.outboundAllow"),
            })}
          </p>
          {fw.effective.inbound.length ? (
            <ul className="mono">
              {fw.effective.inbound.map((r) => (
                <li key={`${ruleText(r)} ${r.sources.join(",")}`}>
                  {ruleText(r)} {t("firewall.from")} {r.sources.join(", ")}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("firewall.noRules")}</p>
          )}
          <p className="muted fine">{t("firewall.vmSsh")}</p>
        </>
      )}
      {props.operate && fw.enforced ? (
        <ActionForm action={vmFirewallAction.bind(null, props.slug, props.vmId)} submit={t("firewall.apply")} testId="vm-firewall-form">
          {props.sets.map((s) => (
            <label key={s.id} className="row">
              <input type="checkbox" name="ruleSetId" value={s.id} defaultChecked={applied.has(s.id)} />
              <span className="mono">{s.name}</span>
            </label>
          ))}
        </ActionForm>
      ) : null}
      <p className="fine">
        <Link href={`/teams/${props.slug}/firewall`}>{t("firewall.manage")}</Link>
      </p>
    </section>
  );
}
