import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { formatBytes, mib } from "@/components/format-bytes";
import { StatusBadge } from "@/components/status-badge";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listMembers } from "@/lib/teams/list-teams";
import { listVms } from "@/lib/vms/queries/list-vms";
import { rich } from "@/app/_i18n/rich";
import { getT, pageTitle, type T } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import {
  changeRoleAction,
  createTokenAction,
  inviteAction,
  removeMemberAction,
  revokeTokenAction,
  setQuotaAction,
} from "@/app/(portal)/teams/actions";

export const generateMetadata = pageTitle("team.title");

const ROLES = ["OWNER", "MEMBER", "VIEWER", "AUDITOR"] as const;

/** The role picker of the member, invitation and token forms. */
function RoleSelect(props: { t: T; defaultValue: string; label?: string }) {
  return (
    <select name="role" defaultValue={props.defaultValue} aria-label={props.label}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {props.t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

export default async function TeamPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const found = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(notFoundIfMissing);
  const { team, role } = found;
  const manage = roleCan(role, "manage");
  const operate = roleCan(role, "operate");
  const audit = roleCan(role, "audit");
  const [members, tokens, vms] = await Promise.all([
    readAllPages((page) => listMembers({ prisma, teamId: team.id, page })),
    manage ? readAllPages((page) => listApiTokens({ prisma, teamId: team.id, page })) : Promise.resolve([]),
    readAllPages((page) => listVms({ prisma, principal: user, teamSlug: team.slug, live: true, page })),
  ]);
  const memory = formatBytes(mib(team.maxMemoryMb), { unit: "GiB", decimals: 1, trim: true, bare: true });
  return (
    <div className="stack">
      <div className="row">
        <h1 className="flush">{team.name}</h1>
        <span className="badge">{t(`role.${role}`)}</span>
      </div>
      <nav aria-label={team.name} className="row">
        {operate ? (
          <Link className="button" href={`/teams/${team.slug}/order`}>
            {t("team.orderVm")}
          </Link>
        ) : null}
        <Link className="button secondary" href={`/teams/${team.slug}/vms`}>
          {t("team.vms")}
        </Link>
        <Link className="button secondary" href={`/teams/${team.slug}/clusters`}>
          {t("team.clusters")}
        </Link>
        <Link className="button secondary" href={`/teams/${team.slug}/firewall`}>
          {t("team.firewall")}
        </Link>
        <Link className="button secondary" href={`/teams/${team.slug}/networks`}>
          {t("team.privateNetworks")}
        </Link>
        <Link className="button secondary" href={`/teams/${team.slug}/signing-keys`}>
          {t("team.signingKeys")}
        </Link>
        {audit ? (
          <Link className="button secondary" href={`/teams/${team.slug}/residency`}>
            {t("team.residencyReport")}
          </Link>
        ) : null}
      </nav>
      <section className="card" aria-labelledby="vms">
        <h2 id="vms">{t("team.vms")}</h2>
        <DataTable
          rows={vms}
          rowKey={(vm) => vm.id}
          empty={t("team.noVms")}
          columns={[
            { key: "name", header: t("common.name"), className: "mono", cell: (vm) => vm.name },
            {
              key: "region",
              header: t("common.region"),
              cell: (vm) => (
                <>
                  {vm.region.name} ({vm.region.country})
                </>
              ),
            },
            { key: "plan", header: t("vm.plan"), cell: (vm) => vm.plan.name },
            {
              key: "state",
              header: t("common.status"),
              cell: (vm) => <StatusBadge of="vm" state={vm.state} label={t(`vmState.${vm.state}`)} plain />,
            },
          ]}
        />
        <p className="muted">
          {t("team.quota")}: {rich(t("team.quotaFigures"), { vms: team.maxVms, vcpus: team.maxVcpus, memory, disk: team.maxDiskGb })}
        </p>
        {user.isAdmin ? (
          <details>
            <summary>{t("team.editQuota")}</summary>
            <ActionForm action={setQuotaAction} submit={t("common.save")} inline testId="quota-form">
              <input type="hidden" name="slug" value={team.slug} />
              <label>
                {t("team.quotaVms")}
                <input name="maxVms" type="number" min={0} defaultValue={team.maxVms} required />
              </label>
              <label>
                vCPU
                <input name="maxVcpus" type="number" min={0} defaultValue={team.maxVcpus} required />
              </label>
              <label>
                RAM (MiB)
                <input name="maxMemoryMb" type="number" min={0} defaultValue={team.maxMemoryMb} required />
              </label>
              <label>
                NVMe (GB)
                <input name="maxDiskGb" type="number" min={0} defaultValue={team.maxDiskGb} required />
              </label>
            </ActionForm>
          </details>
        ) : null}
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="members">
          <h2 id="members">{t("team.members")}</h2>
          <DataTable
            testId="members"
            rows={members}
            rowKey={(m) => m.id}
            columns={[
              { key: "name", header: t("common.name"), cell: (m) => m.user.name },
              { key: "email", header: t("common.email"), cell: (m) => m.user.email },
              {
                key: "role",
                header: t("common.role"),
                cell: (m) =>
                  manage ? (
                    <ActionForm action={changeRoleAction} submit={t("common.save")} inline variant="secondary">
                      <input type="hidden" name="slug" value={team.slug} />
                      <input type="hidden" name="userId" value={m.user.id} />
                      <RoleSelect t={t} defaultValue={m.role} label={`${t("common.role")} ${m.user.email}`} />
                    </ActionForm>
                  ) : (
                    t(`role.${m.role}`)
                  ),
              },
              manage && {
                key: "remove",
                header: "",
                cell: (m) => (
                  <ActionForm
                    action={removeMemberAction}
                    submit={t("common.remove")}
                    variant="danger"
                    confirm={t("team.removeConfirm", { email: m.user.email, team: team.name })}
                  >
                    <input type="hidden" name="slug" value={team.slug} />
                    <input type="hidden" name="userId" value={m.user.id} />
                  </ActionForm>
                ),
              },
            ]}
          />
          {manage ? (
            <>
              <h2 className="gap-above-wide">{t("team.invite")}</h2>
              <ActionForm
                action={inviteAction}
                submit={t("team.inviteSubmit")}
                inline
                secretLabel={t("team.inviteLink")}
                testId="invite-form"
              >
                <input type="hidden" name="slug" value={team.slug} />
                <label>
                  {t("common.email")}
                  <input name="email" type="email" required maxLength={254} />
                </label>
                <label>
                  {t("common.role")}
                  <RoleSelect t={t} defaultValue="MEMBER" />
                </label>
              </ActionForm>
            </>
          ) : null}
        </section>

        {manage ? (
          <section className="card" aria-labelledby="tokens">
            <h2 id="tokens">{t("team.tokens")}</h2>
            {tokens.length > 0 ? (
              <DataTable
                rows={tokens}
                rowKey={(tok) => tok.id}
                columns={[
                  {
                    key: "name",
                    header: t("common.name"),
                    cell: (tok) => (
                      <>
                        {tok.name} <span className="mono muted">skj_{tok.prefix}_…</span>
                      </>
                    ),
                  },
                  { key: "role", header: t("common.role"), cell: (tok) => t(`role.${tok.role}`) },
                  {
                    key: "state",
                    header: t("common.status"),
                    cell: (tok) => {
                      const state = tok.revokedAt ? "revoked" : "active";
                      return <StatusBadge of="token" state={state} label={t(`tokenState.${state}`)} />;
                    },
                  },
                  {
                    key: "revoke",
                    header: "",
                    cell: (tok) =>
                      tok.revokedAt ? null : (
                        <ActionForm action={revokeTokenAction} submit={t("team.revoke")} variant="danger">
                          <input type="hidden" name="slug" value={team.slug} />
                          <input type="hidden" name="tokenId" value={tok.id} />
                        </ActionForm>
                      ),
                  },
                ]}
              />
            ) : null}
            <ActionForm
              action={createTokenAction}
              submit={t("team.tokenCreate")}
              inline
              secretLabel={t("team.tokenShown")}
              testId="token-form"
            >
              <input type="hidden" name="slug" value={team.slug} />
              <label>
                {t("team.tokenName")}
                <input name="name" required maxLength={60} />
              </label>
              <label>
                {t("common.role")}
                <RoleSelect t={t} defaultValue="MEMBER" />
              </label>
            </ActionForm>
          </section>
        ) : null}
      </div>
    </div>
  );
}
