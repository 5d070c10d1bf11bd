import type { Metadata } from "next";
import Link from "next/link";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { AppError } from "@/lib/core/errors";
import { DEFAULT_PAGE_SIZE } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

export const metadata: Metadata = { title: "Audit log" };

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
    error = e.message;
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
        <table data-testid="audit">
          <thead>
            <tr>
              <th>{t("audit.when")}</th>
              <th>{t("audit.who")}</th>
              <th>{t("audit.what")}</th>
              <th>Target</th>
              <th>{t("audit.from")}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((e) => (
              <tr key={e.id.toString()}>
                <td className="mono">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{e.actorLabel}</td>
                <td className="mono">{e.action}</td>
                <td className="mono">{e.targetType ? `${e.targetType}:${e.targetId ?? ""}` : ""}</td>
                <td className="mono">{e.ip ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.nextCursor ? <Link href={`/admin/audit?${next.toString()}`}>{t("audit.older")} →</Link> : null}
      </section>
    </>
  );
}
