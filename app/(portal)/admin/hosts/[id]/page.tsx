import type { Metadata } from "next";
import { formatSince } from "@/lib/placement/place-vm";
import { ActionForm } from "@/components/action-form";
import { getHostDetail } from "@/lib/hosts";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { drainHostAction, refreshHostAction, removeHostAction } from "@/app/(portal)/admin/hosts/actions";
import { STATUS_BADGE } from "@/app/(portal)/admin/hosts/format";
import { DriftCard } from "./drift-card";
import { HostSections } from "./host-sections";
import { KeyCard } from "./key-card";

export const metadata: Metadata = { title: "Host" };

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
        <span className={STATUS_BADGE[host.status] ?? "badge"} data-testid="host-status">
          {host.status.replace("_", " ").toLowerCase()}
        </span>
        {host.draining ? <span className="badge warn">draining</span> : null}
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
        <ActionForm action={refreshHostAction} submit="Re-probe KVM/TCG" variant="secondary" inline>
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
          confirm={`Remove ${host.name} from Skjold?`}
        >
          {hidden}
        </ActionForm>
      </section>
    </>
  );
}
