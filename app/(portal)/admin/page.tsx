import Link from "next/link";
import { countPlatform } from "@/lib/admin/count-platform";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export const generateMetadata = pageTitle("nav.admin");

export default async function AdminHome() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const { teams, users, regions, plans, hosts, vms } = await countPlatform({ prisma: await getPrisma(), principal: user });
  const tiles: [string, number, string][] = [
    [t("admin.teams"), teams, "/teams"],
    [t("admin.users"), users, "/admin/users"],
    [t("admin.regions"), regions, "/admin/regions"],
    [t("admin.plans"), plans, "/admin/plans"],
    [t("admin.hosts"), hosts, "/admin/hosts"],
    [t("admin.vms"), vms, "/admin/hosts"],
  ];
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <div className="grid">
        {tiles.map(([label, n, href]) => (
          <Link key={label} href={href} className="card tile">
            <div className="muted">{label}</div>
            <div className="tile-figure">{n}</div>
          </Link>
        ))}
      </div>
    </>
  );
}
