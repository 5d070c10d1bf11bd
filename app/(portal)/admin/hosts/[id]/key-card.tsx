import { ActionForm } from "@/components/action-form";
import type { HostDetail } from "@/lib/hosts";
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
          Pinned: <span className="mono">{host.hostKeyFingerprint}</span>. The host now presents a different key. This is a reinstalled host
          or someone in the middle: find out which before you confirm.
        </p>
      ) : null}
      <p>The host presents:</p>
      <p className="secret mono" data-testid="presented-fingerprint">
        {`${host.hostKeyAlgorithm ?? ""} ${host.presentedFingerprint ?? "(unknown: reload)"}`}
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
          Kernel for the KVM/TCG probe (optional; default: an image&apos;s kernel found on the host)
          <input name="probeKernelPath" className="mono" placeholder="/var/lib/…/vmlinuz" />
        </label>
      </ActionForm>
    </section>
  );
}
