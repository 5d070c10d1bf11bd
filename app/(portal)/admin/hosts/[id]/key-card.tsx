import { ActionForm } from "@/components/action-form";
import type { HostDetail } from "@/lib/hosts";
import { rich } from "@/app/_i18n/rich";
import type { T } from "@/app/_i18n/server";
import { confirmKeyAction } from "@/app/(portal)/admin/hosts/actions";

/** The fingerprint confirmation screen: for a new host, or one whose key changed. */
export function KeyCard({ host, t }: { host: HostDetail; t: T }) {
  const changed = host.status === "KEY_MISMATCH";
  return (
    <section className="card stack" data-testid="confirm-key">
      <h2>{changed ? t("hosts.mismatchTitle") : t("hosts.confirmTitle")}</h2>
      {changed ? (
        <p className="alert error">
          {rich(t("hosts.pinnedChanged"), { fingerprint: <span className="mono">{host.hostKeyFingerprint}</span> })}
        </p>
      ) : null}
      <p>{t("hosts.presents")}</p>
      <p className="secret mono" data-testid="presented-fingerprint">
        {`${host.hostKeyAlgorithm ?? ""} ${host.presentedFingerprint ?? t("hosts.presentedUnknown")}`}
      </p>
      <p className="muted">{t("hosts.confirmHelp")}</p>
      <p>{t("hosts.installKey")}</p>
      <p className="secret mono" data-testid="authorized-keys-line">
        {host.authorizedKeysLine}
      </p>
      <ActionForm action={confirmKeyAction} submit={t("hosts.confirm")} testId="confirm-key-form">
        <input type="hidden" name="hostId" value={host.id} />
        <input type="hidden" name="fingerprint" value={host.presentedFingerprint ?? ""} />
        <label>
          {t("hosts.probeKernel")}
          <input name="probeKernelPath" className="mono" placeholder="/var/lib/…/vmlinuz" />
        </label>
      </ActionForm>
    </section>
  );
}
