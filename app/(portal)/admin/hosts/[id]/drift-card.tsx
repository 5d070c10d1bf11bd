import { ActionForm } from "@/components/action-form";
import type { HostDetail } from "@/lib/hosts";
import type { T } from "@/app/_i18n/server";
import { driftItemAction, reconcileHostAction, registerImageAction } from "@/app/(portal)/admin/hosts/actions";
import { ago } from "@/app/(portal)/admin/hosts/format";

/** The last reconciliation of this host, with clean-up / adopt per item and found images to register. */
export function DriftCard({ host, t }: { host: HostDetail; t: T }) {
  const d = host.drift?.drift;
  const item = (kind: "domain" | "volume", name: string, pool: string, cleanable: boolean) => (
    <span className="row">
      {cleanable ? (
        <ActionForm action={driftItemAction} submit="Clean up" variant="danger" inline confirm={`Destroy ${name} on ${host.name}?`}>
          <input type="hidden" name="hostId" value={host.id} />
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="name" value={name} />
          <input type="hidden" name="pool" value={pool} />
        </ActionForm>
      ) : (
        <span className="muted">not Skjold-named: clean up by hand</span>
      )}
      <ActionForm action={driftItemAction} submit="Adopt (mark known)" variant="secondary" inline>
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
      <p className="muted">{host.drift ? `Last checked ${ago(new Date(host.drift.at))}.` : "Not checked yet."}</p>
      <ActionForm action={reconcileHostAction} submit={t("hosts.reconcile")} variant="secondary" inline>
        <input type="hidden" name="hostId" value={host.id} />
      </ActionForm>
      {d ? (
        <ul>
          {d.unknownDomains.map((x) => (
            <li key={`d-${x.name}`}>
              Unknown domain <b className="mono">{x.name}</b> ({x.state}) {item("domain", x.name, "", x.cleanable)}
            </li>
          ))}
          {d.missingDomains.map((x) => (
            <li key={`m-${x.vmId}`}>
              Missing domain <b className="mono">{x.domainName}</b>: VM {x.vmName} is {x.state.toLowerCase()} in Skjold but libvirt has no
              such domain
            </li>
          ))}
          {d.orphanVolumes.map((x) => (
            <li key={`o-${x.pool}-${x.name}`}>
              Orphan volume <b className="mono">{`${x.pool}/${x.name}`}</b> {item("volume", x.name, x.pool, x.cleanable)}
            </li>
          ))}
          {d.missingVolumes.map((x) => (
            <li key={`v-${x.name}`}>
              Missing volume <b className="mono">{x.name}</b> ({x.owner})
            </li>
          ))}
        </ul>
      ) : null}
      {d?.unregisteredImages.length ? <h3>Images found on this host</h3> : null}
      {d?.unregisteredImages.map((img) => (
        <ActionForm key={img.name} action={registerImageAction} submit={`Register ${img.name}`} inline testId="register-found-image">
          <input type="hidden" name="hostId" value={host.id} />
          <input type="hidden" name="pool" value={img.pool} />
          <input type="hidden" name="volume" value={img.name} />
          <label>
            Image
            <input name="imageSlug" defaultValue={img.slug ?? ""} required />
          </label>
          <label>
            Kernel
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
