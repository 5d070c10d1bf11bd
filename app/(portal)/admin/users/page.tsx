import { DataTable } from "@/components/data-table";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export const generateMetadata = pageTitle("admin.users");

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
        <DataTable
          bare
          rows={users}
          rowKey={(u) => u.id}
          columns={[
            {
              key: "name",
              header: t("common.name"),
              cell: (u) => (
                <>
                  {u.name} {u.isAdmin ? <span className="badge warn">{t("users.admin")}</span> : null}
                </>
              ),
            },
            { key: "email", header: t("common.email"), cell: (u) => u.email },
            {
              key: "teams",
              header: t("admin.teams"),
              cell: (u) => u.memberships.map((m) => `${m.team.slug} (${t(`role.${m.role}`)})`).join(", ") || "—",
            },
            {
              key: "totp",
              header: "2FA",
              cell: (u) => (u.totpEnabled ? <span className="badge ok">{t("users.totpOn")}</span> : t("users.totpOff")),
            },
            { key: "created", header: t("common.created"), cell: (u) => u.createdAt.toISOString().slice(0, 10) },
          ]}
        />
      </section>
    </>
  );
}
