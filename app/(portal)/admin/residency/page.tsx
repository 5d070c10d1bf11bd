import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { getPrisma } from "@/lib/db";
import { getPlatformResidencyOverview } from "@/lib/residency";
import { parseAsOfParam } from "@/lib/residency/report-query";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { ExportsSection } from "@/app/(portal)/teams/[slug]/residency/_ui/exports";
import { IntegritySection } from "@/app/(portal)/teams/[slug]/residency/_ui/integrity";
import { LocationsSection } from "@/app/(portal)/teams/[slug]/residency/_ui/locations";
import { AcknowledgeBreakForm } from "./acknowledge-form";
import { verifyPlatformLedgerAction } from "./actions";
import { OperatorForm, PortalLocationForm } from "./settings-forms";

export const generateMetadata = pageTitle("residency.platformTitle");

// The admin layout already answers 404 to anyone who is not a platform admin.
export default async function AdminResidencyPage(props: { searchParams: Promise<{ asOf?: string }> }) {
  const { asOf: asOfParam } = await props.searchParams;
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const asOf = parseAsOfParam({ value: typeof asOfParam === "string" && asOfParam ? asOfParam : undefined });
  const { regions, operator, portalLocation, residency } = await getPlatformResidencyOverview({
    prisma: await getPrisma(),
    principal: user,
    asOf: "error" in asOf ? null : asOf.asOf,
  });
  const { view, exports, integrity } = residency;
  return (
    <div className="stack">
      <h1>{t("residency.platformTitle")}</h1>
      <IntegritySection t={t} integrity={integrity} headSeq={view?.ledgerHead.seq ?? null}>
        <ActionForm action={verifyPlatformLedgerAction} submit={t("residency.verify")} variant="secondary" testId="verify-form" />
        {integrity.status === "broken" ? <AcknowledgeBreakForm t={t} /> : null}
      </IntegritySection>
      {"error" in asOf || !view ? (
        <p className="alert error" role="alert">
          {"error" in asOf ? asOf.error : null} <Link href="?">{t("residency.now")}</Link>
        </p>
      ) : (
        <>
          <LocationsSection view={view} t={t} isNow={asOf.isNow} asOfValue={asOfParam} showTeam />
          <ExportsSection
            t={t}
            apiBase="/api/v1/admin/residency"
            asOf={asOf.isNow ? undefined : asOfParam}
            ledgerHead={view.ledgerHead}
            exports={exports}
          />
        </>
      )}
      <div className="grid">
        <PortalLocationForm t={t} regions={regions} current={portalLocation} />
        <OperatorForm t={t} operator={operator} />
      </div>
    </div>
  );
}
