import { ActionForm } from "@/components/action-form";
import { VmState } from "@/lib/generated/prisma/enums";
import type { HostDetail } from "@/lib/hosts";
import type { T } from "@/app/_i18n/server";
import { driftItemAction, reconcileHostAction, registerImageAction } from "@/app/(portal)/admin/hosts/actions";
import { ago } from "@/app/(portal)/admin/hosts/format";

/** The last reconciliation of this host, with clean-up / adopt per item and found images to register. */
export function DriftCard({ host, t }: { host: HostDetail; t: T }) {
  const d = host.drift?.drift;
  // a stored report's state is the VM's state then; one this version does not know is shown as it is
  const vmState = (s: string) => (s in VmState ? t(`vmState.${s as VmState}`) : s.toLowerCase());
  const item = (kind: "domain" | "volume", name: string, pool: string, cleanable: boolean) => (
    <span className="row">
      {cleanable ? (
        <ActionForm
          action={driftItemAction}
          submit={t("hosts.driftCleanUp")}
          variant="danger"
          inline
          confirm={t("hosts.driftCleanUpConfirm", { name, host: host.name })}
        >
          <input type="hidden" name="hostId" value={host.id} />
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="name" value={name} />
          <input type="hidden" name="pool" value={pool} />
        </ActionForm>
      ) : (
        <span className="muted">{t("hosts.driftByHand")}</span>
      )}
      <ActionForm action={driftItemAction} submit={t("hosts.driftAdopt")} variant="secondary" inline>
        <input type="hidden" name="hostId" value={host.id} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="name" value={name} />
        <input type="hidden" name="pool" value={pool} />
        <input type="hidden" name="op" value="adopt" />
      </ActionForm>
    </span>
  );
  return (
    <section className="card stack" data-testid="drift">
      <h2>{t("hosts.drift")}</h2>
      <p className="muted">
        {host.drift ? t("hosts.driftLastChecked", { ago: ago(t, new Date(host.drift.at)) }) : t("hosts.driftNotChecked")}
      </p>
      <ActionForm action={reconcileHostAction} submit={t("hosts.reconcile")} variant="secondary" inline>
        <input type="hidden" name="hostId" value={host.id} />
      </ActionForm>
      {d ? (
        <ul>
          {d.unknownDomains.map((x) => (
            <li key={`d-${x.name}`}>
              {t("hosts.driftUnknownDomain")} <b className="mono">{x.name}</b> ({x.state}) {item("domain", x.name, "", x.cleanable)}
            </li>
          ))}
          {d.missingDomains.map((x) => (
            <li key={`m-${x.vmId}`}>
              {t("hosts.driftMissingDomain")} <b className="mono">{x.domainName}</b>:{" "}
              {t("hosts.driftMissingDomainWhy", { vm: x.vmName, state: vmState(x.state) })}
            </li>
          ))}
          {d.orphanVolumes.map((x) => (
            <li key={`o-${x.pool}-${x.name}`}>
              {t("hosts.driftOrphanVolume")} <b className="mono">{`${x.pool}/${x.name}`}</b> {item("volume", x.name, x.pool, x.cleanable)}
            </li>
          ))}
          {d.missingVolumes.map((x) => (
            <li key={`v-${x.name}`}>
              {t("hosts.driftMissingVolume")} <b className="mono">{x.name}</b> ({x.owner})
            </li>
          ))}
        </ul>
      ) : null}
      {d?.unregisteredImages.length ? <h3>{t("hosts.foundImages")}</h3> : null}
      {d?.unregisteredImages.map((img) => (
        <ActionForm
          key={img.name}
          action={registerImageAction}
          submit={t("hosts.registerFound", { name: img.name })}
          inline
          testId="register-found-image"
        >
          <input type="hidden" name="hostId" value={host.id} />
          <input type="hidden" name="pool" value={img.pool} />
          <input type="hidden" name="volume" value={img.name} />
          <label>
            {t("images.image")}
            <input name="imageSlug" defaultValue={img.slug ?? ""} required />
          </label>
          <label>
            {t("hosts.kernel")}
            <input name="kernelPath" className="mono" defaultValue={img.kernelPath ?? ""} />
          </label>
          <label>
            Initrd
            <input name="initrdPath" className="mono" defaultValue={img.initrdPath ?? ""} />
          </label>
        </ActionForm>
      ))}
    </section>
  );
}
