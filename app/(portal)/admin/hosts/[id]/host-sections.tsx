import { DataTable } from "@/components/data-table";
import { formatBytes } from "@/components/format-bytes";
import type { HostDetail } from "@/lib/hosts";
import type { T } from "@/app/_i18n/server";
import { ago } from "@/app/(portal)/admin/hosts/format";

const gib = (bytes: number | bigint) => formatBytes(bytes, { unit: "GiB" });

function accelerator(t: T, a: HostDetail["accelerator"]): string {
  if (a === "UNKNOWN") return t("hosts.notProbed");
  return t(a === "KVM" ? "hosts.kvm" : "hosts.tcg");
}

/** What Skjold knows about a host: facts, pools with their NVMe statement, images, VMs. */
export function HostSections({ host, t }: { host: HostDetail; t: T }) {
  const { vcpus, memoryMb, diskGb } = host.capacity;
  const facts: [string, string, string?, string?][] = [
    [t("hosts.address"), `${host.username}@${host.address}:${host.port}`, "mono"],
    [t("hosts.region"), `${host.region.code} — ${host.region.name} (${host.region.country})`],
    [
      t("hosts.hostKey"),
      host.hostKeyFingerprint ? `${host.hostKeyAlgorithm ?? ""} ${host.hostKeyFingerprint}` : t("hosts.notPinned"),
      "mono",
    ],
    [t("hosts.accelerator"), accelerator(t, host.accelerator), undefined, "accelerator"],
    ["libvirt / QEMU", host.libvirtVersion ? `${host.libvirtVersion} / ${host.qemuVersion}` : "–"],
    ["CPU", host.cpuCount ? `${host.cpuCount} × ${host.cpuModel}` : "–"],
    [t("hosts.vcpu"), t("hosts.vcpuAllocated", { allocated: vcpus.allocated, total: vcpus.total })],
    [t("hosts.ram"), t("hosts.ramAllocated", { allocated: memoryMb.allocated, total: memoryMb.total })],
    [
      t("hosts.disk"),
      t("hosts.diskAllocated", { allocated: diskGb.allocated, free: gib(diskGb.availableBytes), total: gib(diskGb.totalBytes) }),
    ],
    [t("hosts.lastContact"), ago(t, host.lastSeenAt)],
  ];
  return (
    <>
      <section className="card" data-testid="host-facts">
        <h2>{t("hosts.facts")}</h2>
        <table className="facts-table">
          <tbody>
            {facts.map(([label, value, className, testId]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className={className} data-testid={testId}>
                  {value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.pools")}</h2>
        <DataTable
          bare
          testId="pools"
          rows={host.pools}
          rowKey={(p) => p.id}
          columns={[
            { key: "name", header: t("common.name"), className: "mono", cell: (p) => p.name },
            { key: "path", header: t("hosts.poolPath"), className: "mono", cell: (p) => p.path },
            { key: "size", header: t("hosts.poolSize"), cell: (p) => gib(p.capacityBytes) },
            { key: "free", header: t("hosts.poolFree"), cell: (p) => gib(p.availableBytes) },
            {
              key: "storage",
              header: t("hosts.poolStorage"),
              cell: (p) => (
                <>
                  <span className={p.isNvme ? "badge ok" : "badge warn"}>{p.isNvme ? "NVMe" : t("hosts.notNvme")}</span> {p.mediaNote}
                </>
              ),
            },
          ]}
        />
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.images")}</h2>
        {host.images.length === 0 ? <p className="muted">{t("hosts.noImages")}</p> : null}
        <ul>
          {host.images.map((c) => (
            <li
              key={c.id}
              className="mono"
            >{`${c.image.slug}: ${c.pool.name}/${c.volume} (${c.format}, sha256 ${c.checksumSha256.slice(0, 16)}…)`}</li>
          ))}
        </ul>
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.vms")}</h2>
        {host.vms.length === 0 ? <p className="muted">{t("hosts.noVms")}</p> : null}
        <ul>
          {host.vms.map((v) => (
            <li
              key={v.id}
            >{`${v.name} (${v.domainName}) — ${v.team ? v.team.name : t("hosts.warmGuest")} — ${t(`vmState.${v.state}`)} — ${v.vcpus} vCPU, ${v.memoryMb} MiB, ${v.diskGb} GiB`}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
