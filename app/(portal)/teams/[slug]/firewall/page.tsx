import Link from "next/link";
import { ActionForm, FieldError } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { formatRuleLines, ruleText } from "@/lib/firewall/rule-lines";
import { listRuleSets } from "@/lib/vms/firewall/list-rule-sets";
import type { RuleSetView } from "@/lib/vms/firewall/rule-set-view";
import { getT, pageTitle, type T } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import { createRuleSetAction, deleteRuleSetAction, updateRuleSetAction } from "./actions";

export const generateMetadata = pageTitle("firewall.title");

/** The fields a rule set's form has, empty for a new set or filled from one. */
function RuleSetFields({ t, slug, set }: { t: T; slug: string; set?: RuleSetView }) {
  return (
    <>
      <input type="hidden" name="slug" value={slug} />
      {set ? <input type="hidden" name="ruleSetId" value={set.id} /> : null}
      <label>
        {t("common.name")}
        <input name="name" required maxLength={40} defaultValue={set?.name} placeholder="web" />
        <FieldError name="name" />
      </label>
      <label>
        {t("firewall.outbound")}
        <select name="outbound" defaultValue={set?.outbound ?? "allow"}>
          <option value="allow">{t("firewall.outboundAllow")}</option>
          <option value="deny">{t("firewall.outboundDeny")}</option>
        </select>
      </label>
      <label>
        {t("firewall.rules")}
        <textarea
          name="rules"
          rows={5}
          className="mono"
          spellCheck={false}
          defaultValue={set ? formatRuleLines(set.rules) : undefined}
          placeholder={"tcp 443 0.0.0.0/0, ::/0\ntcp 22 198.51.100.0/24\nicmp 0.0.0.0/0, ::/0"}
        />
        <FieldError name="rules" />
      </label>
      <p className="muted fine">{t("firewall.rulesHint")}</p>
    </>
  );
}

export default async function FirewallPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const operate = roleCan(role, "operate");
  const sets = await readAllPages((page) => listRuleSets({ prisma, principal: user, teamSlug: team.slug, page }));
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${team.slug}`}>← {team.slug}</Link>
      </p>
      <h1>{t("firewall.title")}</h1>
      <p className="muted">{t("firewall.intro")}</p>
      <section className="card" aria-labelledby="firewall-sets">
        <h2 id="firewall-sets">{t("firewall.sets", { team: team.name })}</h2>
        <DataTable
          testId="firewall-rule-sets"
          rows={sets}
          rowKey={(s) => s.id}
          empty={t("firewall.none")}
          rowProps={(s) => ({ "data-rule-set": s.name })}
          columns={[
            { key: "name", header: t("common.name"), className: "mono", cell: (s) => s.name },
            {
              key: "rules",
              header: t("firewall.rules"),
              cell: (s) =>
                s.rules.length ? (
                  <ul className="flush">
                    {s.rules.map((r) => (
                      <li key={`${ruleText(r)} ${r.sources.join(",")}`} className="mono">
                        {ruleText(r)} {t("firewall.from")} {r.sources.join(", ")}
                      </li>
                    ))}
                  </ul>
                ) : (
                  t("firewall.noRules")
                ),
            },
            {
              key: "outbound",
              header: t("firewall.outbound"),
              cell: (s) => t(s.outbound === "deny" ? "firewall.outboundDeny" : "firewall.outboundAllow"),
            },
            { key: "vms", header: t("firewall.vmCount"), cell: (s) => s.vmCount },
            operate && {
              key: "delete",
              header: "",
              cell: (s) => (
                <ActionForm
                  action={deleteRuleSetAction}
                  submit={t("firewall.delete")}
                  variant="danger"
                  confirm={t("firewall.confirmDelete", { name: s.name })}
                >
                  <input type="hidden" name="slug" value={team.slug} />
                  <input type="hidden" name="ruleSetId" value={s.id} />
                </ActionForm>
              ),
            },
          ]}
          detail={
            operate
              ? (s) => (
                  <ActionForm action={updateRuleSetAction} submit={t("firewall.save")} testId={`edit-rule-set-${s.name}`}>
                    <RuleSetFields t={t} slug={team.slug} set={s} />
                  </ActionForm>
                )
              : undefined
          }
        />
      </section>
      {operate ? (
        <section className="card" aria-labelledby="create-rule-set">
          <h2 id="create-rule-set">{t("firewall.create")}</h2>
          <ActionForm action={createRuleSetAction} submit={t("firewall.create")} testId="create-rule-set-form">
            <RuleSetFields t={t} slug={team.slug} />
          </ActionForm>
        </section>
      ) : (
        <p className="muted">{t("firewall.membersOnly")}</p>
      )}
    </div>
  );
}
