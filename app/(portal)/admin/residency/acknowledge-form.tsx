import type { T } from "@/app/_i18n/server";
import { ActionForm } from "@/components/action-form";
import { acknowledgeBreakAction } from "./actions";

/** An admin's reason for a break that has been dealt with: stops the alarm, never the mark on reports. */
export function AcknowledgeBreakForm({ t }: { t: T }) {
  return (
    <ActionForm action={acknowledgeBreakAction} submit={t("residency.acknowledge")} variant="secondary" testId="acknowledge-form">
      <label>
        {t("residency.acknowledgeReason")}
        <textarea name="reason" required minLength={10} maxLength={500} rows={2} />
      </label>
    </ActionForm>
  );
}
