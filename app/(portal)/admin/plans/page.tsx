import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { formatBytes, mib } from "@/components/format-bytes";
import { listPlans } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createPlanAction, togglePlanAction } from "@/app/(portal)/admin/actions";

export const generateMetadata = pageTitle("admin.plans");

export default async function PlansPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const plans = await readAllPages((page) => listPlans({ prisma, page }));
  return (
    <>
      <h1>{t("admin.plans")}</h1>
      <section className="card table-wrap">
        <DataTable
          bare
          rows={plans}
          rowKey={(p) => p.id}
          columns={[
            { key: "code", header: t("admin.code"), className: "mono", cell: (p) => p.code },
            { key: "name", header: t("common.name"), cell: (p) => p.name },
            { key: "vcpus", header: t("plans.vcpus"), cell: (p) => p.vcpus },
            { key: "memory", header: t("plans.memory"), cell: (p) => formatBytes(mib(p.memoryMb), { trim: true }) },
            { key: "disk", header: t("plans.disk"), cell: (p) => `${p.diskGb} GB` },
            { key: "price", header: t("plans.price"), cell: (p) => p.priceNokMonthly },
            {
              key: "status",
              header: t("common.status"),
              cell: (p) => (
                <ActionForm action={togglePlanAction} submit={t(p.active ? "plans.retire" : "plans.offerAgain")} variant="secondary">
                  <input type="hidden" name="code" value={p.code} />
                  <input type="hidden" name="active" value={p.active ? "0" : "1"} />
                </ActionForm>
              ),
            },
          ]}
        />
      </section>
      <section className="card">
        <h2>{t("plans.new")}</h2>
        <ActionForm action={createPlanAction} submit={t("plans.create")} inline>
          <label>
            {t("admin.code")}
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
