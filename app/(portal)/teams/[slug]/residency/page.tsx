import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { roleCan } from "@/lib/access/team-access";
import { getPrisma } from "@/lib/db";
import { ResidencyPolicy } from "@/lib/generated/prisma/enums";
import { getTeamResidencyOverview } from "@/lib/residency";
import { parseAsOfParam } from "@/lib/residency/report-query";
import { getT, pageTitle } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import { changePolicyAction, verifyTeamLedgerAction } from "./actions";
import { ExportsSection } from "./_ui/exports";
import { IntegritySection } from "./_ui/integrity";
import { LocationsSection } from "./_ui/locations";
import { PoliciesTable } from "./_ui/policies";
import { PolicyForm } from "./policy-form";

export const generateMetadata = pageTitle("team.residencyReport");

export default async function TeamResidencyPage(props: { params: Promise<{ slug: string }>; searchParams: Promise<{ asOf?: string }> }) {
  const [{ slug }, { asOf: asOfParam }] = await Promise.all([props.params, props.searchParams]);
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const asOf = typeof asOfParam === "string" ? parseAsOfParam({ value: asOfParam || undefined }) : parseAsOfParam({ value: undefined });
  const { team, role, regions, residency } = await getTeamResidencyOverview({
    prisma: await getPrisma(),
    principal: user,
    teamSlug: slug,
    asOf: "error" in asOf ? null : asOf.asOf,
  }).catch(notFoundIfMissing);
  const apiBase = `/api/v1/teams/${team.slug}/residency`;
  return (
    <div className="stack">
      <p>
        <Link href={`/teams/${team.slug}`}>← {team.name}</Link>
      </p>
      <div className="row">
        <h1 className="flush">
          {t("residency.title")} — {team.name}
        </h1>
        <span className="badge">{t(`role.${role}`)}</span>
      </div>

      {residency ? (
        <IntegritySection t={t} integrity={residency.integrity} headSeq={residency.view?.ledgerHead.seq ?? null}>
          <ActionForm action={verifyTeamLedgerAction} submit={t("residency.verify")} variant="secondary" testId="verify-form">
            <input type="hidden" name="slug" value={team.slug} />
          </ActionForm>
        </IntegritySection>
      ) : null}

      <section className="card stack" aria-labelledby="policy">
        <h2 id="policy">
          {t("team.residency")}: <span data-testid="current-policy">{t(`residency.policyName.${team.residencyPolicy}`)}</span>
        </h2>
        <PoliciesTable t={t} regions={regions} current={team.residencyPolicy} />
        {roleCan(role, "manage") ? (
          <PolicyForm
            action={changePolicyAction}
            slug={team.slug}
            current={team.residencyPolicy}
            options={Object.values(ResidencyPolicy).map((value) => ({ value, label: t(`residency.policyName.${value}`) }))}
            labels={{
              policy: t("residency.newPolicy"),
              submit: t("residency.changePolicy"),
              violationsTitle: t("residency.violations"),
              resource: t("residency.resource"),
              type: t("residency.kind"),
              region: t("common.region"),
              jurisdiction: t("regions.jurisdiction"),
            }}
          />
        ) : (
          <p className="muted">{t("residency.ownersChange")}</p>
        )}
      </section>

      {!residency ? (
        <p className="alert error" role="alert" data-testid="residency-forbidden">
          {t("residency.forbidden", { role: t(`role.${role}`) })}
        </p>
      ) : "error" in asOf || !residency.view ? (
        <p className="alert error" role="alert">
          {"error" in asOf ? asOf.error : null} <Link href="?">{t("residency.now")}</Link>
        </p>
      ) : (
        <>
          <LocationsSection view={residency.view} t={t} isNow={asOf.isNow} asOfValue={asOfParam} showTeam={false} />
          <ExportsSection
            t={t}
            apiBase={apiBase}
            asOf={asOf.isNow ? undefined : asOfParam}
            ledgerHead={residency.view.ledgerHead}
            exports={residency.exports}
          />
        </>
      )}
    </div>
  );
}
