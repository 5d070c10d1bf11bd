import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listTeams } from "@/lib/teams/list-teams";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { createTeamAction } from "./actions";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const teams = await readAllPages((page) => listTeams({ prisma, principal: user, page }));
  return (
    <div className="stack">
      <h1>{t("teams.title")}</h1>
      <section className="card">
        {teams.length === 0 ? (
          <p className="muted">{t("teams.none")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("teams.name")}</th>
                  <th>{t("teams.slug")}</th>
                  <th>{t("teams.role")}</th>
                  <th>{t("team.residency")}</th>
                </tr>
              </thead>
              <tbody>
                {teams.map(({ team, role }) => (
                  <tr key={team.id}>
                    <td>
                      <Link href={`/teams/${team.slug}`}>{team.name}</Link>
                    </td>
                    <td className="mono">{team.slug}</td>
                    <td>
                      <span className="badge">{role.toLowerCase()}</span>
                    </td>
                    <td>{team.residencyPolicy.replace("_", " ").toLowerCase()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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
