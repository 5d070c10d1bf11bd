import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { getPrisma } from "@/lib/db";
import { listBackupTargets } from "@/lib/backup-targets/list-backup-targets";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createBackupTargetAction } from "./actions";

export const generateMetadata = pageTitle("admin.backupTargets");

export default async function BackupTargetsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const targets = await listBackupTargets({ prisma: await getPrisma(), principal: user });
  return (
    <>
      <h1>{t("admin.backupTargets")}</h1>
      <p className="muted">{t("backupTarget.intro")}</p>
      <section className="card table-wrap">
        <DataTable
          bare
          testId="backup-targets"
          rows={targets}
          rowKey={(b) => b.id}
          empty={t("backupTarget.none")}
          rowProps={(b) => ({ "data-target": b.name })}
          columns={[
            { key: "name", header: t("backupTarget.name"), className: "mono", cell: (b) => b.name },
            { key: "host", header: t("backupTarget.host"), className: "mono", cell: (b) => b.host },
            { key: "pool", header: t("backupTarget.pool"), className: "mono", cell: (b) => `${b.pool} (${b.path})` },
            {
              key: "where",
              header: t("backupTarget.where"),
              cell: (b) => `${b.regionName} (${b.region}), ${b.country}, ${t(`regions.jurisdiction.${b.jurisdiction}`)}`,
            },
          ]}
        />
      </section>
      <section className="card">
        <h2>{t("backupTarget.add")}</h2>
        <ActionForm action={createBackupTargetAction} submit={t("backupTarget.create")} inline>
          <label>
            {t("backupTarget.name")}
            <input name="name" required maxLength={40} pattern="[a-z0-9][a-z0-9-]{1,39}" />
          </label>
          <label>
            {t("backupTarget.host")}
            <input name="host" required maxLength={120} />
          </label>
          <label>
            {t("backupTarget.pool")}
            <input name="pool" required maxLength={63} />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
