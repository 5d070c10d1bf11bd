import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { getHostDetail } from "@/lib/hosts";
import { getPrisma } from "@/lib/db";
import { getT } from "../../../../_i18n/server";
import { requireUser } from "../../../../_server/request";
import { drainHostAction, refreshHostAction, removeHostAction } from "../actions";
import { ago, gib, STATUS_BADGE } from "../format";
import { DriftCard } from "./drift-card";
import { KeyCard } from "./key-card";

export const metadata: Metadata = { title: "Host" };

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const host = await getHostDetail({ prisma: await getPrisma(), principal: user, hostId: (await params).id });
  const pinned = host.status !== "PENDING_KEY" && host.status !== "KEY_MISMATCH";
  const hidden = <input type="hidden" name="hostId" value={host.id} />;
  return (
    <>
      <div className="row">
        <h1>{host.name}</h1>
        <span className={STATUS_BADGE[host.status] ?? "badge"} data-testid="host-status">
          {host.status.replace("_", " ").toLowerCase()}
        </span>
        {host.draining ? <span className="badge warn">draining</span> : null}
      </div>
      {host.lastError ? <p className="alert error">{host.lastError}</p> : null}
      {!pinned ? <KeyCard host={host} t={t} /> : null}
      <section className="card" data-testid="host-facts">
        <h2>{t("hosts.facts")}</h2>
        <dl className="grid">
          <dt>Address</dt>
          <dd className="mono">{`${host.username}@${host.address}:${host.port}`}</dd>
          <dt>{t("hosts.region")}</dt>
          <dd>{`${host.region.code} — ${host.region.name} (${host.region.country})`}</dd>
          <dt>Host key</dt>
          <dd className="mono">{host.hostKeyFingerprint ? `${host.hostKeyAlgorithm ?? ""} ${host.hostKeyFingerprint}` : "not pinned"}</dd>
          <dt>{t("hosts.accelerator")}</dt>
          <dd data-testid="accelerator">
            {host.accelerator === "UNKNOWN" ? "not probed yet" : host.accelerator === "KVM" ? "KVM (hardware)" : "TCG (software emulation: slow, KVM does not run guests here)"}
          </dd>
          <dt>libvirt / QEMU</dt>
          <dd>{host.libvirtVersion ? `${host.libvirtVersion} / ${host.qemuVersion}` : "–"}</dd>
          <dt>CPU</dt>
          <dd>{host.cpuCount ? `${host.cpuCount} × ${host.cpuModel}` : "–"}</dd>
          <dt>{t("hosts.vcpu")}</dt>
          <dd>{`${host.capacity.vcpus.allocated} of ${host.capacity.vcpus.total} allocated`}</dd>
          <dt>{t("hosts.ram")}</dt>
          <dd>{`${host.capacity.memoryMb.allocated} of ${host.capacity.memoryMb.total} MiB allocated`}</dd>
          <dt>{t("hosts.disk")}</dt>
          <dd>{`${host.capacity.diskGb.allocated} GiB allocated; pools ${gib(host.capacity.diskGb.availableBytes)} free of ${gib(host.capacity.diskGb.totalBytes)}`}</dd>
          <dt>{t("hosts.lastContact")}</dt>
          <dd>{ago(host.lastSeenAt)}</dd>
        </dl>
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.pools")}</h2>
        <table data-testid="pools">
          <thead>
            <tr><th>{t("common.name")}</th><th>Path</th><th>Size</th><th>Free</th><th>Storage</th></tr>
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
            <li key={c.id} className="mono">{`${c.image.slug}: ${c.pool.name}/${c.volume} (${c.format}, sha256 ${c.checksumSha256.slice(0, 16)}…)`}</li>
          ))}
        </ul>
      </section>
      <section className="card table-wrap">
        <h2>{t("hosts.vms")}</h2>
        {host.vms.length === 0 ? <p className="muted">None.</p> : null}
        <ul>
          {host.vms.map((v) => (
            <li key={v.id}>{`${v.name} (${v.domainName}) — ${v.team.name} — ${v.state.toLowerCase()} — ${v.vcpus} vCPU, ${v.memoryMb} MiB, ${v.diskGb} GiB`}</li>
          ))}
        </ul>
      </section>
      {pinned ? <DriftCard host={host} t={t} /> : null}
      <section className="card row">
        <ActionForm action={refreshHostAction} submit={t("hosts.refresh")} variant="secondary" inline>{hidden}</ActionForm>
        <ActionForm action={refreshHostAction} submit="Re-probe KVM/TCG" variant="secondary" inline>
          {hidden}
          <input type="hidden" name="reprobe" value="1" />
        </ActionForm>
        <ActionForm action={drainHostAction} submit={host.draining ? t("hosts.undrain") : t("hosts.drain")} variant="secondary" inline>
          {hidden}
          <input type="hidden" name="draining" value={host.draining ? "0" : "1"} />
        </ActionForm>
        <ActionForm action={removeHostAction} submit={t("hosts.remove")} variant="danger" inline confirm={`Remove ${host.name} from Skjold?`}>{hidden}</ActionForm>
      </section>
    </>
  );
}
