import { ActionForm } from "@/components/action-form";
import { StatusBadge } from "@/components/status-badge";
import { formatSince } from "@/lib/placement/place-vm";
import { getHostDetail } from "@/lib/hosts";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { drainHostAction, refreshHostAction, removeHostAction } from "@/app/(portal)/admin/hosts/actions";
import { DriftCard } from "./drift-card";
import { HostSections } from "./host-sections";
import { KeyCard } from "./key-card";

export const generateMetadata = pageTitle("hosts.title");

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const host = await getHostDetail({ prisma: await getPrisma(), principal: user, hostId: (await params).id });
  const pinned = host.status !== "PENDING_KEY" && host.status !== "KEY_MISMATCH";
  const hidden = <input type="hidden" name="hostId" value={host.id} />;
  return (
    <>
      <div className="row">
        <h1>{host.name}</h1>
        <StatusBadge of="host" state={host.status} label={t(`hostState.${host.status}`)} testId="host-status" />
        {host.draining ? <span className="badge warn">{t("hostState.draining")}</span> : null}
      </div>
      {host.lastError ? (
        <p className="alert error">
          {host.unhealthySince ? <strong>{t("hosts.unhealthySince", { time: formatSince(host.unhealthySince) })}: </strong> : null}
          {host.lastError}
        </p>
      ) : null}
      {!pinned ? <KeyCard host={host} t={t} /> : null}
      {host.status === "PENDING_KEY" ? null : <HostSections host={host} t={t} />}
      {pinned ? <DriftCard host={host} t={t} /> : null}
      <section className="card row">
        <ActionForm action={refreshHostAction} submit={t("hosts.refresh")} variant="secondary" inline>
          {hidden}
        </ActionForm>
        <ActionForm action={refreshHostAction} submit={t("hosts.reprobe")} variant="secondary" inline>
          {hidden}
          <input type="hidden" name="reprobe" value="1" />
        </ActionForm>
        <ActionForm action={drainHostAction} submit={host.draining ? t("hosts.undrain") : t("hosts.drain")} variant="secondary" inline>
          {hidden}
          <input type="hidden" name="draining" value={host.draining ? "0" : "1"} />
        </ActionForm>
        <ActionForm
          action={removeHostAction}
          submit={t("hosts.remove")}
          variant="danger"
          inline
          confirm={t("hosts.removeConfirm", { name: host.name })}
        >
          {hidden}
        </ActionForm>
      </section>
    </>
  );
}
