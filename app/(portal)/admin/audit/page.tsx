import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { AppError } from "@/lib/core/errors";
import { DEFAULT_PAGE_SIZE } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { errorText } from "@/app/_i18n/lib-text";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export const generateMetadata = pageTitle("admin.audit");

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" && sp[k] ? (sp[k] as string) : undefined);
  const filter = { action: one("action"), actor: one("actor") };
  let result: Awaited<ReturnType<typeof listAuditEvents>> = { items: [], nextCursor: null };
  let error: string | null = null;
  try {
    result = await listAuditEvents({ prisma: await getPrisma(), filter, page: { limit: DEFAULT_PAGE_SIZE, cursor: one("cursor") } });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    error = errorText(e, t);
  }
  const next = new URLSearchParams(
    Object.entries({ ...filter, cursor: result.nextCursor ?? undefined }).filter(([, v]) => v) as [string, string][],
  );
  return (
    <>
      <h1>{t("admin.audit")}</h1>
      <form className="inline card" method="get">
        <label>
          {t("audit.what")}
          <input name="action" defaultValue={filter.action} placeholder="auth.sign_in" maxLength={100} />
        </label>
        <label>
          {t("audit.who")}
          <input name="actor" defaultValue={filter.actor} maxLength={254} />
        </label>
        <button type="submit">{t("audit.filter")}</button>
      </form>
      {error ? <p className="alert error">{error}</p> : null}
      <section className="card table-wrap">
        <DataTable
          bare
          testId="audit"
          rows={result.items}
          rowKey={(e) => e.id.toString()}
          columns={[
            { key: "when", header: t("audit.when"), className: "mono", cell: (e) => e.at.toISOString().replace("T", " ").slice(0, 19) },
            { key: "who", header: t("audit.who"), cell: (e) => e.actorLabel },
            { key: "what", header: t("audit.what"), className: "mono", cell: (e) => e.action },
            {
              key: "target",
              header: t("audit.target"),
              className: "mono",
              cell: (e) => (e.targetType ? `${e.targetType}:${e.targetId ?? ""}` : ""),
            },
            { key: "from", header: t("audit.from"), className: "mono", cell: (e) => e.ip ?? "" },
          ]}
        />
        {result.nextCursor ? <Link href={`/admin/audit?${next.toString()}`}>{t("audit.older")} →</Link> : null}
      </section>
    </>
  );
}
