import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listTeams } from "@/lib/teams/list-teams";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createTeamAction } from "./actions";

export const generateMetadata = pageTitle("nav.teams");

export default async function TeamsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const teams = await readAllPages((page) => listTeams({ prisma, principal: user, page }));
  return (
    <div className="stack">
      <h1>{t("teams.title")}</h1>
      <section className="card">
        <DataTable
          rows={teams}
          rowKey={({ team }) => team.id}
          empty={t("teams.none")}
          columns={[
            { key: "name", header: t("teams.name"), cell: ({ team }) => <Link href={`/teams/${team.slug}`}>{team.name}</Link> },
            { key: "slug", header: t("teams.slug"), className: "mono", cell: ({ team }) => team.slug },
            { key: "role", header: t("teams.role"), cell: ({ role }) => <span className="badge">{t(`role.${role}`)}</span> },
            { key: "policy", header: t("team.residency"), cell: ({ team }) => t(`teams.policy.${team.residencyPolicy}`) },
          ]}
        />
      </section>
      {user.isAdmin ? (
        <section className="card">
          <h2>{t("teams.create")}</h2>
          <ActionForm action={createTeamAction} submit={t("teams.create")} inline testId="create-team">
            <label>
              {t("teams.name")}
              <input name="name" required maxLength={80} />
            </label>
            <label>
              {t("teams.slug")}
              <input name="slug" required maxLength={40} pattern="[a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9]" />
            </label>
            <label>
              {t("teams.ownerEmail")}
              <input name="ownerEmail" type="email" maxLength={254} />
            </label>
          </ActionForm>
        </section>
      ) : null}
    </div>
  );
}
