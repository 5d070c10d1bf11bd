import type { ReactNode } from "react";
import type { T } from "@/app/_i18n/server";
import type { LedgerIntegrity } from "@/lib/residency";
import { utc } from "./format";

/** Whether the ledger holds, as the recorded verifications state it; the verify (and acknowledge) forms go inside. */
export function IntegritySection(props: { t: T; integrity: LedgerIntegrity; headSeq: string | null; children: ReactNode }) {
  const { t, integrity, headSeq } = props;
  return (
    <section className="card stack" aria-labelledby="verify" data-testid="ledger-integrity" data-status={integrity.status}>
      <h2 id="verify">{t("residency.verifyTitle")}</h2>
      {integrity.status === "broken" ? (
        <div className="alert error stack" role="alert" data-testid="ledger-broken">
          <strong>{t("residency.integrityBrokenTitle")}</strong>
          <div>
            {t("residency.integrityBroken", {
              at: utc(integrity.detectedAt),
              seq: integrity.brokenAt.seq,
              problem: t(`residency.problem.${integrity.brokenAt.problem}`),
            })}
          </div>
          <div>{t("residency.integrityFix")}</div>
          {integrity.acknowledgement ? (
            <div data-testid="ledger-acknowledged">
              {t("residency.integrityAcknowledged", {
                by: integrity.acknowledgement.by,
                at: utc(integrity.acknowledgement.at),
                reason: integrity.acknowledgement.reason,
              })}
            </div>
          ) : null}
        </div>
      ) : integrity.status === "verified" ? (
        <p data-testid="ledger-verified">
          {t("residency.integrityVerified", {
            through: integrity.verifiedThrough.seq,
            full: integrity.fullVerification.throughSeq,
            fullAt: utc(integrity.fullVerification.at),
          })}{" "}
          {headSeq && BigInt(headSeq) > BigInt(integrity.verifiedThrough.seq)
            ? t("residency.integrityPending", { count: (BigInt(headSeq) - BigInt(integrity.verifiedThrough.seq)).toString() })
            : null}
        </p>
      ) : (
        <p className="muted">{t("residency.integrityUnverified")}</p>
      )}
      <p className="muted">{t("residency.verifyHelp")}</p>
      {props.children}
    </section>
  );
}
