import { ActionForm, FieldError } from "@/components/action-form";
import type { T } from "@/app/_i18n/server";
import { setConsoleIdleAction } from "./actions";

/** How long a serial console session may go without a keystroke (docs/console.md). */
export function ConsoleIdleCard({ idleMinutes, t }: { idleMinutes: number; t: T }) {
  return (
    <section className="card" data-testid="console-idle">
      <h2>{t("consoleIdle.title")}</h2>
      <p className="muted">{t("consoleIdle.help")}</p>
      <ActionForm action={setConsoleIdleAction} submit={t("outage.waitSave")} inline>
        <label>
          {t("consoleIdle.minutes")}
          <input name="idleMinutes" type="number" min={1} max={1440} step={1} required defaultValue={idleMinutes} />
          <FieldError name="idleMinutes" />
        </label>
      </ActionForm>
    </section>
  );
}
