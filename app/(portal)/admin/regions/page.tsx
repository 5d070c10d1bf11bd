import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { listRegions } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createRegionAction, toggleRegionAction } from "@/app/(portal)/admin/actions";

export const generateMetadata = pageTitle("admin.regions");

const JURISDICTIONS = ["NO_EEA", "EU", "EEA_OTHER", "THIRD_COUNTRY"] as const;

export default async function RegionsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const regions = await readAllPages((page) => listRegions({ prisma, page }));
  return (
    <>
      <h1>{t("admin.regions")}</h1>
      <section className="card table-wrap">
        <DataTable
          bare
          testId="regions"
          rows={regions}
          rowKey={(r) => r.id}
          columns={[
            { key: "code", header: t("admin.code"), className: "mono", cell: (r) => r.code },
            { key: "name", header: t("common.name"), cell: (r) => r.name },
            { key: "city", header: t("regions.city"), cell: (r) => r.city },
            { key: "country", header: t("regions.country"), cell: (r) => r.country },
            {
              key: "jurisdiction",
              header: t("regions.jurisdiction"),
              cell: (r) => (
                <span className={`badge ${r.jurisdiction === "NO_EEA" ? "no" : ""}`}>{t(`regions.jurisdiction.${r.jurisdiction}`)}</span>
              ),
            },
            {
              key: "status",
              header: t("common.status"),
              cell: (r) => (
                <ActionForm
                  action={toggleRegionAction}
                  submit={t(r.active ? "regions.deactivate" : "regions.activate")}
                  variant="secondary"
                >
                  <input type="hidden" name="code" value={r.code} />
                  <input type="hidden" name="active" value={r.active ? "0" : "1"} />
                </ActionForm>
              ),
            },
          ]}
        />
      </section>
      <section className="card">
        <h2>{t("regions.new")}</h2>
        <ActionForm action={createRegionAction} submit={t("regions.create")} inline>
          <label>
            {t("admin.code")}
            <input name="code" required maxLength={16} placeholder="trd1" />
          </label>
          <label>
            {t("common.name")}
            <input name="name" required maxLength={60} />
          </label>
          <label>
            {t("regions.city")}
            <input name="city" required maxLength={60} />
          </label>
          <label>
            {t("regions.country")}
            <input name="country" required maxLength={2} pattern="[A-Z]{2}" placeholder="NO" />
          </label>
          <label>
            {t("regions.jurisdiction")}
            <select name="jurisdiction" defaultValue="EU">
              {JURISDICTIONS.map((j) => (
                <option key={j} value={j}>
                  {t(`regions.jurisdiction.${j}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("regions.datacenter")}
            <input name="datacenter" maxLength={80} />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
