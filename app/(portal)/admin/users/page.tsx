import type { Metadata } from "next";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const users = await (await getPrisma()).user.findMany({
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      totpEnabled: true,
      createdAt: true,
      memberships: { select: { role: true, team: { select: { slug: true } } } },
    },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  return (
    <>
      <h1>{t("admin.users")}</h1>
      <section className="card table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("common.name")}</th>
              <th>{t("common.email")}</th>
              <th>{t("admin.teams")}</th>
              <th>2FA</th>
              <th>{t("common.created")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  {u.name} {u.isAdmin ? <span className="badge warn">admin</span> : null}
                </td>
                <td>{u.email}</td>
                <td>{u.memberships.map((m) => `${m.team.slug} (${m.role.toLowerCase()})`).join(", ") || "—"}</td>
                <td>{u.totpEnabled ? <span className="badge ok">on</span> : "off"}</td>
                <td>{u.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
