import { ActionForm } from "@/components/action-form";
import { listRegions } from "@/lib/catalog/catalog";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { addHostAction } from "@/app/(portal)/admin/hosts/actions";

export const generateMetadata = pageTitle("hosts.add");

export default async function NewHostPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const regions = await readAllPages((page) => listRegions({ prisma, activeOnly: true, page }));
  return (
    <>
      <h1>{t("hosts.add")}</h1>
      <section className="card">
        <p className="muted">{t("hosts.newIntro")}</p>
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
            {t("hosts.address")}
            <input name="address" required placeholder="10.20.0.11" />
          </label>
          <label>
            {t("hosts.sshPort")}
            <input name="port" type="number" min={1} max={65535} defaultValue={22} />
          </label>
          <label>
            {t("hosts.sshUser")}
            <input name="username" required placeholder="skjold" />
          </label>
          <fieldset>
            <legend>{t("hosts.keyLegend")}</legend>
            <label>
              <input type="radio" name="keyMode" value="generate" defaultChecked /> {t("hosts.keyGenerate")}
            </label>
            <label>
              <input type="radio" name="keyMode" value="paste" /> {t("hosts.keyPaste")}
            </label>
            <label>
              {t("hosts.privateKey")}
              <textarea name="privateKey" rows={5} className="mono" autoComplete="off" spellCheck={false} />
            </label>
          </fieldset>
          <fieldset>
            <legend>{t("hosts.networkLegend")}</legend>
            <label>
              <input type="radio" name="networkMode" value="ROUTED" defaultChecked /> {t("hosts.modeRouted")}
            </label>
            <label>
              <input type="radio" name="networkMode" value="BRIDGED" /> {t("hosts.modeBridged")}
            </label>
            <label>
              <input type="radio" name="networkMode" value="USER_FORWARD" /> {t("hosts.modeLab")}
            </label>
            <label>
              {t("hosts.uplink")}
              <input name="uplink" placeholder="eth0" />
            </label>
            <label>
              {t("hosts.bridge")}
              <input name="bridge" placeholder="br0" />
            </label>
            <label>
              <input type="checkbox" name="guestAccess" value="DIRECT" /> {t("hosts.guestDirect")}
            </label>
          </fieldset>
        </ActionForm>
      </section>
    </>
  );
}
