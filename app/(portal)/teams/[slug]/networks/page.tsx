import Link from "next/link";
import { ActionForm, FieldError } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listPrivateNetworks, privateNetworkRegions } from "@/lib/network/private/list-private-networks";
import { getT, pageTitle } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import { createPrivateNetworkAction, deletePrivateNetworkAction } from "./actions";

export const generateMetadata = pageTitle("pnet.title");

export default async function PrivateNetworksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const operate = roleCan(role, "operate");
  const networks = await readAllPages((page) => listPrivateNetworks({ prisma, principal: user, teamSlug: team.slug, page }));
  const regions = operate ? await privateNetworkRegions({ prisma, principal: user, teamSlug: team.slug }) : [];
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${team.slug}`}>← {team.slug}</Link>
      </p>
      <h1>{t("pnet.title")}</h1>
      <p className="muted">{t("pnet.intro")}</p>
      <section className="card" aria-labelledby="private-networks">
        <h2 id="private-networks">{t("pnet.list", { team: team.name })}</h2>
        <DataTable
          testId="private-networks"
          rows={networks}
          rowKey={(n) => n.id}
          empty={t("pnet.none")}
          rowProps={(n) => ({ "data-private-network": n.name })}
          columns={[
            { key: "name", header: t("common.name"), className: "mono", cell: (n) => n.name },
            { key: "region", header: t("pnet.region"), className: "mono", cell: (n) => n.regionCode },
            { key: "range", header: t("pnet.range"), className: "mono", cell: (n) => n.cidr },
            { key: "ipv6", header: t("pnet.ipv6"), className: "mono", cell: (n) => n.ipv6Prefix ?? "–" },
            { key: "vni", header: t("pnet.vni"), className: "mono", cell: (n) => n.vni },
            {
              key: "members",
              header: t("pnet.members"),
              cell: (n) =>
                n.members.length ? (
                  <ul className="flush">
                    {n.members.map((m) => (
                      <li key={m.vmId} className="mono">
                        <Link href={`/teams/${team.slug}/vms/${m.vmId}`}>{m.vmName}</Link> {m.ipv4}
                        {m.ipv6 ? ` ${m.ipv6}` : ""}
                      </li>
                    ))}
                  </ul>
                ) : (
                  t("pnet.noMembers")
                ),
            },
            operate && {
              key: "delete",
              header: "",
              cell: (n) => (
                <ActionForm
                  action={deletePrivateNetworkAction}
                  submit={t("pnet.delete")}
                  variant="danger"
                  confirm={t("pnet.confirmDelete", { name: n.name })}
                >
                  <input type="hidden" name="slug" value={team.slug} />
                  <input type="hidden" name="networkId" value={n.id} />
                </ActionForm>
              ),
            },
          ]}
        />
      </section>
      {operate ? (
        <section className="card" aria-labelledby="create-private-network">
          <h2 id="create-private-network">{t("pnet.create")}</h2>
          <ActionForm action={createPrivateNetworkAction} submit={t("pnet.create")} testId="create-private-network-form">
            <input type="hidden" name="slug" value={team.slug} />
            <label>
              {t("common.name")}
              <input name="name" required maxLength={40} placeholder="backend" />
              <FieldError name="name" />
            </label>
            <label>
              {t("pnet.region")}
              <select name="regionCode">
                {regions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name} ({r.code})
                  </option>
                ))}
              </select>
              <FieldError name="regionCode" />
            </label>
            <label>
              {t("pnet.range")}
              <input name="cidr" maxLength={43} className="mono" placeholder="10.0.0.0/24" />
              <FieldError name="cidr" />
            </label>
            <p className="muted fine">{t("pnet.rangeHint")}</p>
            <label>
              {t("pnet.ipv6")}
              <select name="ipv6Prefix" defaultValue="none">
                <option value="none">{t("pnet.ipv6None")}</option>
                <option value="auto">{t("pnet.ipv6Auto")}</option>
              </select>
              <FieldError name="ipv6Prefix" />
            </label>
          </ActionForm>
        </section>
      ) : (
        <p className="muted">{t("pnet.membersOnly")}</p>
      )}
    </div>
  );
}
