import { formatBytes, mib } from "@/components/format-bytes";
import type { T } from "@/app/_i18n/server";

// Where the VM is and how to reach it, as a definition list.
export interface VmFactsView {
  region: { name: string; code: string; city?: string; country: string; jurisdiction: string };
  host: { name: string; accelerator?: string } | null;
  plan: { name: string };
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  image: { name: string };
  sshHost: string | null;
  sshPort: number | null;
  ipAddress?: string | null;
  ipv6Address?: string | null;
  ipv6Prefix?: string | null;
  /** its NICs on the team's private networks (eth1…) */
  privateNics?: { slot: number; ipv4: string; ipv6: string | null; network: { id: string; name: string; cidr: string } }[];
  createdAt: Date;
  readyAt: Date | null;
  /** the order's time (a warm-served VM was booted before it) */
  orderedAt?: Date;
  servedWarm?: boolean;
  sshReadySeconds?: number | null;
}

/** The guest's name for its private NIC in slot n (cloud-init names it by its MAC). */
export const guestNic = (slot: number) => `eth${slot}`;

const when = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 19)} UTC` : "–");

export function VmFacts({ vm, t }: { vm: VmFactsView; t: T }) {
  const address = vm.ipAddress ?? (vm.sshHost && vm.sshPort ? `${vm.sshHost}:${vm.sshPort}` : null);
  return (
    <dl className="facts" data-testid="vm-facts">
      <dt>{t("common.region")}</dt>
      <dd>
        {vm.region.name} <span className="mono muted">{vm.region.code}</span> · {vm.region.city ? `${vm.region.city}, ` : ""}
        {vm.region.country} ·{" "}
        <span className={`badge${vm.region.jurisdiction === "NO_EEA" ? " no" : ""}`}>
          {t(`jurisdiction.${vm.region.jurisdiction}` as "jurisdiction.EU")}
        </span>
      </dd>
      <dt>{t("vm.host")}</dt>
      <dd>
        <span className="mono">{vm.host?.name ?? "–"}</span>
        {vm.host?.accelerator && vm.host.accelerator !== "UNKNOWN" ? <span className="muted"> · {vm.host.accelerator}</span> : null}
      </dd>
      <dt>{t("vm.plan")}</dt>
      <dd>
        {vm.plan.name} · {vm.vcpus} vCPU · {formatBytes(mib(vm.memoryMb), { unit: "GiB", decimals: 1, trim: true, bare: true })} GiB RAM ·{" "}
        {vm.diskGb} GB NVMe
      </dd>
      <dt>{t("vm.image")}</dt>
      <dd>{vm.image.name}</dd>
      <dt>{t("vm.address")}</dt>
      <dd className="mono" data-testid="vm-address">
        {address ?? "–"}
      </dd>
      {vm.ipv6Address ? (
        <>
          <dt>{t("vm.ipv6")}</dt>
          <dd className="mono" data-testid="vm-ipv6">
            {vm.ipv6Address}
            {vm.ipv6Prefix ? <span className="muted"> · {t("vm.ipv6Routed", { prefix: vm.ipv6Prefix })}</span> : null}
          </dd>
        </>
      ) : null}
      {vm.privateNics?.length ? (
        <>
          <dt>{t("pnet.title")}</dt>
          <dd data-testid="vm-private-networks">
            <ul className="flush">
              {vm.privateNics.map((n) => (
                <li key={n.slot} className="mono">
                  {guestNic(n.slot)} {n.ipv4}
                  {n.ipv6 ? ` ${n.ipv6}` : ""}{" "}
                  <span className="muted">
                    · {n.network.name} ({n.network.cidr})
                  </span>
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
      <dt>{t("common.created")}</dt>
      <dd>
        {when(vm.orderedAt ?? vm.createdAt)}{" "}
        {vm.readyAt ? <span className="muted">{t("vm.readyAt", { time: when(vm.readyAt) })}</span> : null}
      </dd>
      {vm.sshReadySeconds != null ? (
        <>
          <dt>{t("vm.sshReady")}</dt>
          <dd data-testid="vm-ssh-ready" data-warm={vm.servedWarm ? "1" : "0"}>
            {t("vm.sshReadyAfter", { seconds: vm.sshReadySeconds.toFixed(1) })}
            {vm.servedWarm ? <span className="badge"> {t("vm.servedWarm")}</span> : null}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
