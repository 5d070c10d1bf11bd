import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!user.isAdmin) notFound();
  const { t } = await getT(user.locale);
  return (
    <div className="stack">
      <nav aria-label={t("nav.admin")} className="row">
        <Link href="/admin">{t("admin.title")}</Link>
        <Link href="/admin/hosts">{t("admin.hosts")}</Link>
        <Link href="/admin/images">{t("admin.images")}</Link>
        <Link href="/admin/regions">{t("admin.regions")}</Link>
        <Link href="/admin/networks">{t("admin.networks")}</Link>
        <Link href="/admin/latency">{t("admin.latency")}</Link>
        <Link href="/admin/plans">{t("admin.plans")}</Link>
        <Link href="/admin/warm-pools">{t("admin.warmPools")}</Link>
        <Link href="/admin/backup-targets">{t("admin.backupTargets")}</Link>
        <Link href="/admin/users">{t("admin.users")}</Link>
        <Link href="/admin/audit">{t("admin.audit")}</Link>
        <Link href="/admin/residency">{t("admin.residency")}</Link>
      </nav>
      {children}
    </div>
  );
}
