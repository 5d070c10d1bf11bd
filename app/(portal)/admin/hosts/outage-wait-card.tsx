import { ActionForm, FieldError } from "@/components/action-form";
import type { T } from "@/app/_i18n/server";
import { setOutageWaitAction } from "./actions";

/** How long jobs wait for a host they cannot reach (docs/hosts.md, "Outages"). */
export function OutageWaitCard({ wait, t }: { wait: { waitSeconds: number; maxSeconds: number }; t: T }) {
  return (
    <section className="card" data-testid="outage-wait">
      <h2>{t("outage.waitTitle")}</h2>
      <p className="muted">{t("outage.waitHelp")}</p>
      <ActionForm action={setOutageWaitAction} submit={t("outage.waitSave")} inline>
        <label>
          {t("outage.waitMinutes")}
          <input name="minutes" type="number" min={0} max={wait.maxSeconds / 60} step="any" required defaultValue={wait.waitSeconds / 60} />
          <FieldError name="waitSeconds" />
        </label>
      </ActionForm>
    </section>
  );
}
