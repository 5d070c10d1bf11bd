import type { HostDetail } from "@/lib/hosts";
import type { T } from "@/app/_i18n/server";
import { ago, gib } from "@/app/(portal)/admin/hosts/format";

/** What Skjold knows about a host: facts, pools with their NVMe statement, images, VMs. */
export function HostSections({ host, t }: { host: HostDetail; t: T }) {
  return (
    <>
      <section className="card" data-testid="host-facts">
        <h2>{t("hosts.facts")}</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">Address</th>
              <td className="mono" style={{ overflowWrap: "anywhere" }}>{`${host.username}@${host.address}:${host.port}`}</td>
            </tr>
            <tr>
              <th scope="row">{t("hosts.region")}</th>
              <td style={{ overflowWrap: "anywhere" }}>{`${host.region.code} — ${host.region.name} (${host.region.country})`}</td>
            </tr>
            <tr>
              <th scope="row">Host key</th>
              <td className="mono" style={{ overflowWrap: "anywhere" }}>
                {host.hostKeyFingerprint ? `${host.hostKeyAlgorithm ?? ""} ${host.hostKeyFingerprint}` : "not pinned"}
              </td>
            </tr>
            <tr>
              <th scope="row">{t("hosts.accelerator")}</th>
              <td data-testid="accelerator" style={{ overflowWrap: "anywhere" }}>
                {host.accelerator === "UNKNOWN"
                  ? "not probed yet"
                  : host.accelerator === "KVM"
                    ? "KVM (hardware)"
                    : "TCG (software emulation: slow, KVM does not run guests here)"}
              </td>
            </tr>
            <tr>
              <th scope="row">libvirt / QEMU</th>
              <td style={{ overflowWrap: "anywhere" }}>{host.libvirtVersion ? `${host.libvirtVersion} / ${host.qemuVersion}` : "–"}</td>
            </tr>
            <tr>
              <th scope="row">CPU</th>
              <td style={{ overflowWrap: "anywhere" }}>{host.cpuCount ? `${host.cpuCount} × ${host.cpuModel}` : "–"}</td>
            </tr>
            <tr>
              <th scope="row">{t("hosts.vcpu")}</th>
              <td style={{ overflowWrap: "anywhere" }}>{`${host.capacity.vcpus.allocated} of ${host.capacity.vcpus.total} allocated`}</td>
            </tr>
            <tr>
              <th scope="row">{t("hosts.ram")}</th>
              <td
                style={{ overflowWrap: "anywhere" }}
              >{`${host.capacity.memoryMb.allocated} of ${host.capacity.memoryMb.total} MiB allocated`}</td>
            </tr>
            <tr>
              <th scope="row">{t("hosts.disk")}</th>
              <td
                style={{ overflowWrap: "anywhere" }}
              >{`${host.capacity.diskGb.allocated} GiB allocated; pools ${gib(host.capacity.diskGb.availableBytes)} free of ${gib(host.capacity.diskGb.totalBytes)}`}</td>
            </tr>
            <tr>
              <th scope="row">{t("hosts.lastContact")}</th>
              <td style={{ overflowWrap: "anywhere" }}>{ago(host.lastSeenAt)}</td>
            </tr>
          </tbody>
        </table>
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.pools")}</h2>
        <table data-testid="pools">
          <thead>
            <tr>
              <th>{t("common.name")}</th>
              <th>Path</th>
              <th>Size</th>
              <th>Free</th>
              <th>Storage</th>
            </tr>
          </thead>
          <tbody>
            {host.pools.map((p) => (
              <tr key={p.id}>
                <td className="mono">{p.name}</td>
                <td className="mono">{p.path}</td>
                <td>{gib(p.capacityBytes)}</td>
                <td>{gib(p.availableBytes)}</td>
                <td>
                  <span className={p.isNvme ? "badge ok" : "badge warn"}>{p.isNvme ? "NVMe" : "not NVMe"}</span> {p.mediaNote}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.images")}</h2>
        {host.images.length === 0 ? <p className="muted">No image registered on this host yet.</p> : null}
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
        {host.vms.length === 0 ? <p className="muted">None.</p> : null}
        <ul>
          {host.vms.map((v) => (
            <li
              key={v.id}
            >{`${v.name} (${v.domainName}) — ${v.team.name} — ${v.state.toLowerCase()} — ${v.vcpus} vCPU, ${v.memoryMb} MiB, ${v.diskGb} GiB`}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
