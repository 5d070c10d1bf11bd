import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { formatBytes, mib } from "@/components/format-bytes";
import { StatusBadge } from "@/components/status-badge";
import { listHosts } from "@/lib/hosts";
import { readAllPages } from "@/lib/core/pagination";
import { getHostOutageWait } from "@/lib/hosts/get-host-outage-wait";
import { getPrisma } from "@/lib/db";
import { formatSince } from "@/lib/placement/place-vm";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { ago } from "./format";
import { readConsoleIdleMinutes } from "@/lib/vms/console/idle-setting";
import { ConsoleIdleCard } from "./console-idle-card";
import { OutageWaitCard } from "./outage-wait-card";

export const generateMetadata = pageTitle("admin.hosts");

const gibFigure = (mb: number) => formatBytes(mib(mb), { unit: "GiB", decimals: 1, bare: true });

export default async function HostsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const hosts = await readAllPages((page) => listHosts({ prisma, principal: user, page }));
  const outageWait = await getHostOutageWait({ prisma, principal: user });
  const consoleIdleMinutes = await readConsoleIdleMinutes({ prisma });
  return (
    <>
      <div className="row">
        <h1>{t("admin.hosts")}</h1>
        <Link href="/admin/hosts/new">{t("hosts.add")}</Link>
        <Link href="/admin/images">{t("admin.images")}</Link>
      </div>
      {hosts.length === 0 ? <p className="muted">{t("hosts.none")}</p> : null}
      <section className="card table-wrap">
        <DataTable
          bare
          testId="hosts"
          rows={hosts}
          rowKey={(h) => h.id}
          columns={[
            { key: "name", header: t("common.name"), cell: (h) => <Link href={`/admin/hosts/${h.id}`}>{h.name}</Link> },
            { key: "region", header: t("hosts.region"), cell: (h) => h.region.code },
            {
              key: "status",
              header: t("common.status"),
              cell: (h) => (
                <>
                  <StatusBadge of="host" state={h.status} label={t(`hostState.${h.status}`)} />
                  {h.draining ? <span className="badge warn">{t("hostState.draining")}</span> : null}
                </>
              ),
            },
            { key: "accelerator", header: t("hosts.accelerator"), cell: (h) => (h.accelerator === "UNKNOWN" ? "–" : h.accelerator) },
            {
              key: "network",
              header: t("hosts.network"),
              cellProps: (h) => ({ "data-testid": `host-network-${h.name}` }),
              cell: (h) => (
                <>
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
                </>
              ),
            },
            {
              key: "vcpu",
              header: t("hosts.vcpu"),
              cell: (h) => (
                <>
                  {h.capacity.vcpus.allocated} / {h.capacity.vcpus.total}
                </>
              ),
            },
            {
              key: "ram",
              header: t("hosts.ram"),
              cell: (h) => (
                <>
                  {gibFigure(h.capacity.memoryMb.allocated)} / {gibFigure(h.capacity.memoryMb.total)} GiB
                </>
              ),
            },
            {
              key: "disk",
              header: t("hosts.disk"),
              cell: (h) => (
                <>
                  {h.capacity.diskGb.allocated} GiB / {formatBytes(h.capacity.diskGb.totalBytes, { unit: "GiB" })}
                </>
              ),
            },
            { key: "seen", header: t("hosts.lastContact"), cell: (h) => ago(t, h.lastSeenAt) },
            {
              key: "error",
              header: t("hosts.error"),
              className: "muted",
              cell: (h) => (
                <>
                  {h.unhealthySince ? <strong>{t("hosts.unhealthySince", { time: formatSince(h.unhealthySince) })}: </strong> : null}
                  {h.lastError ?? ""}
                </>
              ),
            },
          ]}
        />
      </section>
      <OutageWaitCard wait={outageWait} t={t} />
      <ConsoleIdleCard idleMinutes={consoleIdleMinutes} t={t} />
    </>
  );
}
