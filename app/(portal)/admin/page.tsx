import type { Metadata } from "next";
import Link from "next/link";
import { countPlatform } from "@/lib/admin/count-platform";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export const metadata: Metadata = { title: "Admin" };

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
    ["VMs", vms, "/admin/hosts"],
  ];
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <div className="grid">
        {tiles.map(([label, n, href]) => (
          <Link key={label} href={href} className="card" style={{ textDecoration: "none", color: "inherit" }}>
            <div className="muted">{label}</div>
            <div style={{ fontSize: "2rem", fontWeight: 700 }}>{n}</div>
          </Link>
        ))}
      </div>
    </>
  );
}
