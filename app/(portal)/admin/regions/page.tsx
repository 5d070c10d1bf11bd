import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { listRegions } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createRegionAction, toggleRegionAction } from "@/app/(portal)/admin/actions";

export const metadata: Metadata = { title: "Regions" };

const JURISDICTION_LABEL: Record<string, string> = {
  NO_EEA: "EEA (Norway, not EU)",
  EU: "EU",
  EEA_OTHER: "EEA (not EU)",
  THIRD_COUNTRY: "Third country",
};

export default async function RegionsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const regions = await readAllPages((page) => listRegions({ prisma, page }));
  return (
    <>
      <h1>{t("admin.regions")}</h1>
      <section className="card table-wrap">
        <table data-testid="regions">
          <thead>
            <tr>
              <th>Code</th>
              <th>{t("common.name")}</th>
              <th>{t("regions.city")}</th>
              <th>{t("regions.country")}</th>
              <th>{t("regions.jurisdiction")}</th>
              <th>{t("common.status")}</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.id}>
                <td className="mono">{r.code}</td>
                <td>{r.name}</td>
                <td>{r.city}</td>
                <td>{r.country}</td>
                <td>
                  <span className={`badge ${r.jurisdiction === "NO_EEA" ? "no" : ""}`}>{JURISDICTION_LABEL[r.jurisdiction]}</span>
                </td>
                <td>
                  <ActionForm action={toggleRegionAction} submit={r.active ? "Deactivate" : "Activate"} variant="secondary">
                    <input type="hidden" name="code" value={r.code} />
                    <input type="hidden" name="active" value={r.active ? "0" : "1"} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>New region</h2>
        <ActionForm action={createRegionAction} submit="Create region" inline>
          <label>
            Code
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
              {Object.entries(JURISDICTION_LABEL).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label>
            Datacenter
            <input name="datacenter" maxLength={80} />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
