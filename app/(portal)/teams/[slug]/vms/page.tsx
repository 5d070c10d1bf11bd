import type { Metadata } from "next";
import Link from "next/link";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listVms } from "@/lib/vms/queries/list-vms";
import { getT } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";

export const metadata: Metadata = { title: "Virtual machines" };

const BADGE: Record<string, string> = {
  RUNNING: "ok",
  PROVISIONING: "warn",
  PENDING: "warn",
  DELETING: "warn",
  FAILED: "bad",
  STOPPED: "",
};

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
        <h1 style={{ margin: 0 }}>{t("team.vms")}</h1>
        {roleCan(role, "operate") ? (
          <Link className="button" href={`/teams/${slug}/order`}>
            {t("vm.order")}
          </Link>
        ) : null}
      </div>
      <section className="card">
        {vms.length === 0 ? (
          <p className="muted">{t("vm.none")}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="vm-list">
              <thead>
                <tr>
                  <th>{t("common.name")}</th>
                  <th>{t("vm.state")}</th>
                  <th>{t("common.region")}</th>
                  <th>{t("vm.plan")}</th>
                  <th>{t("vm.host")}</th>
                  <th>{t("vm.address")}</th>
                </tr>
              </thead>
              <tbody>
                {vms.map((vm) => (
                  <tr key={vm.id}>
                    <td>
                      <Link className="mono" href={`/teams/${slug}/vms/${vm.id}`}>
                        {vm.name}
                      </Link>
                    </td>
                    <td>
                      <span className={`badge ${BADGE[vm.state] ?? ""}`}>{vm.state.toLowerCase()}</span>
                    </td>
                    <td>
                      {vm.region.name} <span className="muted">({vm.region.country})</span>
                    </td>
                    <td>{vm.plan.name}</td>
                    <td className="mono">{vm.host?.name ?? "–"}</td>
                    <td className="mono">{vm.sshHost && vm.sshPort ? `${vm.sshHost}:${vm.sshPort}` : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
