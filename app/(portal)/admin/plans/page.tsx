import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { listPlans } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createPlanAction, togglePlanAction } from "@/app/(portal)/admin/actions";

export const metadata: Metadata = { title: "Plans" };

export default async function PlansPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const plans = await readAllPages((page) => listPlans({ prisma, page }));
  return (
    <>
      <h1>{t("admin.plans")}</h1>
      <section className="card table-wrap">
        <table>
          <thead>
            <tr>
              <th>Code</th>
              <th>{t("common.name")}</th>
              <th>{t("plans.vcpus")}</th>
              <th>{t("plans.memory")}</th>
              <th>{t("plans.disk")}</th>
              <th>{t("plans.price")}</th>
              <th>{t("common.status")}</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id}>
                <td className="mono">{p.code}</td>
                <td>{p.name}</td>
                <td>{p.vcpus}</td>
                <td>{p.memoryMb >= 1024 ? `${p.memoryMb / 1024} GiB` : `${p.memoryMb} MiB`}</td>
                <td>{p.diskGb} GB</td>
                <td>{p.priceNokMonthly}</td>
                <td>
                  <ActionForm action={togglePlanAction} submit={p.active ? "Retire" : "Offer again"} variant="secondary">
                    <input type="hidden" name="code" value={p.code} />
                    <input type="hidden" name="active" value={p.active ? "0" : "1"} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>New plan</h2>
        <ActionForm action={createPlanAction} submit="Create plan" inline>
          <label>
            Code
            <input name="code" required maxLength={16} />
          </label>
          <label>
            {t("common.name")}
            <input name="name" required maxLength={60} />
          </label>
          <label>
            {t("plans.vcpus")}
            <input name="vcpus" type="number" min={1} max={128} required />
          </label>
          <label>
            {t("plans.memory")} (MiB)
            <input name="memoryMb" type="number" min={256} required />
          </label>
          <label>
            {t("plans.disk")} (GB)
            <input name="diskGb" type="number" min={5} required />
          </label>
          <label>
            {t("plans.price")}
            <input name="priceNokMonthly" type="number" min={0} defaultValue={0} />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
