import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { listRegions } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { addHostAction } from "@/app/(portal)/admin/hosts/actions";

export const metadata: Metadata = { title: "Add a host" };

export default async function NewHostPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const regions = await readAllPages((page) => listRegions({ prisma, activeOnly: true, page }));
  return (
    <>
      <h1>{t("hosts.add")}</h1>
      <section className="card">
        <p className="muted">
          Skjold connects only to read the host&apos;s SSH key; you confirm its fingerprint on the next screen before anything runs there.
        </p>
        <ActionForm action={addHostAction} submit={t("hosts.add")} testId="add-host">
          <label>
            {t("common.name")}
            <input name="name" required pattern="[a-z][a-z0-9-]{1,62}" placeholder="osl-kvm-01" />
          </label>
          <label>
            {t("hosts.region")}
            <select name="regionCode">
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.code} — {r.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Address
            <input name="address" required placeholder="10.20.0.11" />
          </label>
          <label>
            SSH port
            <input name="port" type="number" min={1} max={65535} defaultValue={22} />
          </label>
          <label>
            SSH user
            <input name="username" required placeholder="skjold" />
          </label>
          <fieldset>
            <legend>SSH key for Skjold</legend>
            <label>
              <input type="radio" name="keyMode" value="generate" defaultChecked /> Generate a key pair (you install the public key)
            </label>
            <label>
              <input type="radio" name="keyMode" value="paste" /> Use my private key (pasted below)
            </label>
            <label>
              Private key (stored encrypted, never shown again)
              <textarea name="privateKey" rows={5} className="mono" autoComplete="off" spellCheck={false} />
            </label>
          </fieldset>
          <fieldset>
            <legend>How guests get their addresses</legend>
            <label>
              <input type="radio" name="networkMode" value="ROUTED" defaultChecked /> Routed: this host is every guest's gateway; the
              provider routes the host's pools to its uplink
            </label>
            <label>
              <input type="radio" name="networkMode" value="BRIDGED" /> Bridged: guests join a bridge on the provider's segment
            </label>
            <label>
              <input type="radio" name="networkMode" value="USER_FORWARD" /> Lab trial: user-mode networking, SSH forwarded on the host's
              loopback, no addresses of their own
            </label>
            <label>
              Uplink (routed)
              <input name="uplink" placeholder="eth0" />
            </label>
            <label>
              Bridge (bridged)
              <input name="bridge" placeholder="br0" />
            </label>
            <label>
              <input type="checkbox" name="guestAccess" value="DIRECT" /> The portal routes to the guests' addresses (otherwise it reaches
              them through this host)
            </label>
          </fieldset>
        </ActionForm>
      </section>
    </>
  );
}
