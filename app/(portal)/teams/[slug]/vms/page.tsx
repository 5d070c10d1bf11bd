import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listVms } from "@/lib/vms/queries/list-vms";
import { getT, pageTitle } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";

export const generateMetadata = pageTitle("team.vms");

export default async function VmListPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const vms = await readAllPages((page) => listVms({ prisma, principal: user, teamSlug: slug, page })).catch(notFoundIfMissing);
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${slug}`}>← {team.name}</Link>
      </p>
      <div className="row">
        <h1 className="flush">{t("team.vms")}</h1>
        {roleCan(role, "operate") ? (
          <Link className="button" href={`/teams/${slug}/order`}>
            {t("vm.order")}
          </Link>
        ) : null}
      </div>
      <section className="card">
        <DataTable
          testId="vm-list"
          rows={vms}
          rowKey={(vm) => vm.id}
          empty={t("vm.none")}
          columns={[
            {
              key: "name",
              header: t("common.name"),
              cell: (vm) => (
                <Link className="mono" href={`/teams/${slug}/vms/${vm.id}`}>
                  {vm.name}
                </Link>
              ),
            },
            {
              key: "state",
              header: t("vm.state"),
              cell: (vm) => <StatusBadge of="vm" state={vm.state} label={t(`vmState.${vm.state}`)} />,
            },
            {
              key: "region",
              header: t("common.region"),
              cell: (vm) => (
                <>
                  {vm.region.name} <span className="muted">({vm.region.country})</span>
                </>
              ),
            },
            { key: "plan", header: t("vm.plan"), cell: (vm) => vm.plan.name },
            { key: "host", header: t("vm.host"), className: "mono", cell: (vm) => vm.host?.name ?? "–" },
            {
              key: "address",
              header: t("vm.address"),
              className: "mono",
              cell: (vm) => (vm.sshHost && vm.sshPort ? `${vm.sshHost}:${vm.sshPort}` : "–"),
            },
          ]}
        />
      </section>
    </div>
  );
}
