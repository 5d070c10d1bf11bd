import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { formatBytes } from "@/components/format-bytes";
import type { listTeamBackupTargets } from "@/lib/backup-targets/list-team-backup-targets";
import type { listVmBackups } from "@/lib/vms/backup/list-backups";
import type { T } from "@/app/_i18n/server";
import { backupAction, deleteBackupAction, restoreBackupAction } from "./actions";

/**
 * The VM's backups: each with its kind, state, target and region, bytes moved and checksum; members
 * back up a running VM to a target the team's residency policy allows, restore one in place or delete it.
 */
export function BackupsSection(props: {
  t: T;
  slug: string;
  vmId: string;
  running: boolean;
  operate: boolean;
  backups: Awaited<ReturnType<typeof listVmBackups>>;
  targets: Awaited<ReturnType<typeof listTeamBackupTargets>>;
}) {
  const { t } = props;
  const allowed = props.targets.filter((x) => x.allowed);
  return (
    <section className="card" aria-labelledby="vm-backups" data-testid="vm-backups">
      <h2 id="vm-backups">{t("backup.title")}</h2>
      <DataTable
        bare
        testId="backup-list"
        rows={props.backups}
        rowKey={(b) => b.id}
        empty={t("backup.none")}
        rowProps={(b) => ({ "data-backup": b.id, "data-state": b.state })}
        columns={[
          { key: "at", header: t("backup.taken"), className: "mono", cell: (b) => b.createdAt.replace("T", " ").slice(0, 19) },
          { key: "kind", header: t("backup.kind"), cell: (b) => t(`backup.kind.${b.kind}`) },
          { key: "state", header: t("backup.state"), cell: (b) => <span className="badge">{t(`backup.state.${b.state}`)}</span> },
          { key: "target", header: t("backup.target"), cell: (b) => `${b.target} (${b.region}, ${b.country})` },
          { key: "moved", header: t("backup.moved"), cell: (b) => (b.bytesMoved === null ? "—" : formatBytes(b.bytesMoved)) },
          { key: "sha", header: "sha256", className: "mono", cell: (b) => (b.sha256 ? `${b.sha256.slice(0, 16)}…` : "—") },
          {
            key: "actions",
            header: "",
            cell: (b) =>
              props.operate && b.state === "GOOD" ? (
                <div className="row">
                  {b.kind === "FULL" ? (
                    <ActionForm
                      action={restoreBackupAction.bind(null, props.slug, props.vmId, b.id)}
                      submit={t("backup.restore")}
                      confirm={t("backup.restoreConfirm")}
                      variant="secondary"
                      inline
                    />
                  ) : null}
                  <ActionForm
                    action={deleteBackupAction.bind(null, props.slug, props.vmId, b.id)}
                    submit={t("backup.delete")}
                    confirm={t("backup.deleteConfirm")}
                    variant="secondary"
                    inline
                  />
                </div>
              ) : null,
          },
        ]}
      />
      {props.operate && props.running && allowed.length ? (
        <ActionForm action={backupAction.bind(null, props.slug, props.vmId)} submit={t("backup.now")} inline testId="backup-form">
          <label>
            {t("backup.target")}
            <select name="target">
              {allowed.map((x) => (
                <option key={x.name} value={x.name}>
                  {`${x.name} (${x.regionName}, ${x.country})`}
                </option>
              ))}
            </select>
          </label>
        </ActionForm>
      ) : null}
      {props.operate && !allowed.length ? <p className="muted fine">{t("backup.noTargets")}</p> : null}
    </section>
  );
}
