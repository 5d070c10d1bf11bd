import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { getPrisma } from "@/lib/db";
import { getOperatorDetails } from "@/lib/residency";
import { parseAsOfParam } from "@/lib/residency/report-query";
import { listReportExports } from "@/lib/residency/report-response";
import { PORTAL_LOCATION_SETTING, PortalLocationSchema } from "@/lib/residency/settings";
import { readResidencyView } from "@/lib/residency/view";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { ExportsSection } from "@/app/(portal)/teams/[slug]/residency/_ui/exports";
import { LocationsSection } from "@/app/(portal)/teams/[slug]/residency/_ui/locations";
import { verifyPlatformLedgerAction } from "./actions";
import { OperatorForm, PortalLocationForm } from "./settings-forms";

export const metadata: Metadata = { title: "Platform data residency" };

// The admin layout already answers 404 to anyone who is not a platform admin.
export default async function AdminResidencyPage(props: { searchParams: Promise<{ asOf?: string }> }) {
  const { asOf: asOfParam } = await props.searchParams;
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const asOf = parseAsOfParam({ value: typeof asOfParam === "string" && asOfParam ? asOfParam : undefined });
  const [regions, operator, locationRow, exports] = await Promise.all([
    prisma.region.findMany({ where: { active: true }, orderBy: { code: "asc" } }),
    getOperatorDetails({ prisma }).catch(() => null),
    prisma.setting.findUnique({ where: { key: PORTAL_LOCATION_SETTING } }),
    listReportExports({ prisma, teamId: null }),
  ]);
  const location = PortalLocationSchema.safeParse(locationRow?.value);
  const view = "error" in asOf ? null : await readResidencyView({ prisma, asOf: asOf.asOf });
  return (
    <div className="stack">
      <h1>{t("residency.platformTitle")}</h1>
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
      <section className="card stack" aria-labelledby="verify">
        <h2 id="verify">{t("residency.verifyTitle")}</h2>
        <p className="muted">{t("residency.verifyHelp")}</p>
        <ActionForm action={verifyPlatformLedgerAction} submit={t("residency.verify")} variant="secondary" testId="verify-form" />
      </section>
      <div className="grid">
        <PortalLocationForm t={t} regions={regions} current={location.success ? location.data : null} />
        <OperatorForm t={t} operator={operator} />
      </div>
    </div>
  );
}
