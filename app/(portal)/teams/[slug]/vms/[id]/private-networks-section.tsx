import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import type { PrivateNetworkView } from "@/lib/network/private/private-network-view";
import type { T } from "@/app/_i18n/server";
import { attachPrivateNetworkAction, detachPrivateNetworkAction } from "./actions";
import { guestNic } from "./vm-facts";

/**
 * The VM's private networks: each NIC with its addresses and (for members, on a running or stopped
 * VM) a detach button, and the team's other networks of its region to attach.
 */
export function PrivateNetworksSection(props: {
  t: T;
  slug: string;
  vmId: string;
  nics: { slot: number; ipv4: string; ipv6: string | null; network: { id: string; name: string; cidr: string } }[];
  /** the team's networks in the VM's region */
  networks: PrivateNetworkView[];
  operate: boolean;
}) {
  const { t } = props;
  const joined = new Set(props.nics.map((n) => n.network.id));
  const others = props.networks.filter((n) => !joined.has(n.id));
  return (
    <section className="card" aria-labelledby="vm-private-networks" data-testid="vm-private-networks-section">
      <h2 id="vm-private-networks">{t("pnet.title")}</h2>
      {props.nics.length ? (
        <ul className="flush">
          {props.nics.map((n) => (
            <li key={n.slot} className="row spread">
              <span className="mono">
                {guestNic(n.slot)} {n.ipv4}
                {n.ipv6 ? ` ${n.ipv6}` : ""} <span className="muted">· {n.network.name}</span>
              </span>
              {props.operate ? (
                <ActionForm
                  action={detachPrivateNetworkAction.bind(null, props.slug, props.vmId, n.network.id)}
                  submit={t("pnet.detach")}
                  variant="danger"
                  inline
                  confirm={t("pnet.confirmDetach", { name: n.network.name })}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("pnet.vmNone")}</p>
      )}
      {props.operate && others.length ? (
        <ActionForm
          action={attachPrivateNetworkAction.bind(null, props.slug, props.vmId)}
          submit={t("pnet.attach")}
          testId="vm-attach-network"
        >
          <select name="networkId">
            {others.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.cidr})
              </option>
            ))}
          </select>
        </ActionForm>
      ) : null}
      <p className="fine">
        <Link href={`/teams/${props.slug}/networks`}>{t("pnet.manage")}</Link>
      </p>
    </section>
  );
}
