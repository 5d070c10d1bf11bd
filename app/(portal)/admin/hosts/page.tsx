import type { Metadata } from "next";
import { formatSince } from "@/lib/placement/place-vm";
import Link from "next/link";
import { listHosts } from "@/lib/hosts";
import { getHostOutageWait } from "@/lib/hosts/get-host-outage-wait";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { ago, gib, STATUS_BADGE } from "./format";
import { OutageWaitCard } from "./outage-wait-card";

export const metadata: Metadata = { title: "Hosts" };

export default async function HostsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const hosts = await listHosts({ prisma, principal: user });
  const outageWait = await getHostOutageWait({ prisma, principal: user });
  return (
    <>
      <div className="row">
        <h1>{t("admin.hosts")}</h1>
        <Link href="/admin/hosts/new">{t("hosts.add")}</Link>
        <Link href="/admin/images">{t("admin.images")}</Link>
      </div>
      {hosts.length === 0 ? <p className="muted">{t("hosts.none")}</p> : null}
      <section className="card table-wrap">
        <table data-testid="hosts">
          <thead>
            <tr>
              <th>{t("common.name")}</th>
              <th>{t("hosts.region")}</th>
              <th>{t("common.status")}</th>
              <th>{t("hosts.accelerator")}</th>
              <th>{t("hosts.network")}</th>
              <th>{t("hosts.vcpu")}</th>
              <th>{t("hosts.ram")}</th>
              <th>{t("hosts.disk")}</th>
              <th>{t("hosts.lastContact")}</th>
              <th>{t("hosts.error")}</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.id}>
                <td>
                  <Link href={`/admin/hosts/${h.id}`}>{h.name}</Link>
                </td>
                <td>{h.region.code}</td>
                <td>
                  <span className={STATUS_BADGE[h.status] ?? "badge"}>{h.status.replace("_", " ").toLowerCase()}</span>
                  {h.draining ? <span className="badge warn">draining</span> : null}
                </td>
                <td>{h.accelerator === "UNKNOWN" ? "–" : h.accelerator}</td>
                <td data-testid={`host-network-${h.name}`}>
                  {h.networkMode === "USER_FORWARD" ? (
                    <span className="badge warn" title={t("hosts.labTrialHint")}>
                      {t("hosts.labTrial")}
                    </span>
                  ) : (
                    <>
                      {t(h.networkMode === "ROUTED" ? "hosts.routed" : "hosts.bridged")}{" "}
                      <span className="mono muted">{h.networkMode === "ROUTED" ? h.uplink : h.bridge}</span>
                    </>
                  )}
                  {h.networkProblem ? <div className="muted">{h.networkProblem}</div> : null}
                </td>
                <td>
                  {h.capacity.vcpus.allocated} / {h.capacity.vcpus.total}
                </td>
                <td>
                  {(h.capacity.memoryMb.allocated / 1024).toFixed(1)} / {(h.capacity.memoryMb.total / 1024).toFixed(1)} GiB
                </td>
                <td>
                  {h.capacity.diskGb.allocated} GiB / {gib(h.capacity.diskGb.totalBytes)}
                </td>
                <td>{ago(h.lastSeenAt)}</td>
                <td className="muted">
                  {h.unhealthySince ? <strong>{t("hosts.unhealthySince", { time: formatSince(h.unhealthySince) })}: </strong> : null}
                  {h.lastError ?? ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <OutageWaitCard wait={outageWait} t={t} />
    </>
  );
}
