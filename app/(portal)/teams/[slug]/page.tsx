import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listMembers } from "@/lib/teams/list-teams";
import { listVms } from "@/lib/vms/queries/list-vms";
import { getT } from "@/app/_i18n/server";
import { notFoundIfMissing, requireUser } from "@/app/_server/request";
import {
  changeRoleAction,
  createTokenAction,
  inviteAction,
  removeMemberAction,
  revokeTokenAction,
  setQuotaAction,
} from "@/app/(portal)/teams/actions";

export const metadata: Metadata = { title: "Team" };

const ROLES = ["OWNER", "MEMBER", "VIEWER", "AUDITOR"] as const;

/** The role picker of the member, invitation and token forms. */
function RoleSelect(props: { defaultValue: string; label?: string }) {
  return (
    <select name="role" defaultValue={props.defaultValue} aria-label={props.label}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r.toLowerCase()}
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
  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>{team.name}</h1>
        <span className="badge">{role.toLowerCase()}</span>
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
        {vms.length === 0 ? (
          <p className="muted">{t("team.noVms")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("common.name")}</th>
                  <th>{t("common.region")}</th>
                  <th>Plan</th>
                  <th>{t("common.status")}</th>
                </tr>
              </thead>
              <tbody>
                {vms.map((vm) => (
                  <tr key={vm.id}>
                    <td className="mono">{vm.name}</td>
                    <td>
                      {vm.region.name} ({vm.region.country})
                    </td>
                    <td>{vm.plan.name}</td>
                    <td>
                      <span className="badge">{vm.state.toLowerCase()}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted">
          {t("team.quota")}: {team.maxVms} VMs · {team.maxVcpus} vCPU · {team.maxMemoryMb / 1024} GiB RAM · {team.maxDiskGb} GB NVMe
        </p>
        {user.isAdmin ? (
          <details>
            <summary>{t("team.editQuota")}</summary>
            <ActionForm action={setQuotaAction} submit={t("common.save")} inline testId="quota-form">
              <input type="hidden" name="slug" value={team.slug} />
              <label>
                VMs
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
          <div className="table-wrap">
            <table data-testid="members">
              <thead>
                <tr>
                  <th>{t("common.name")}</th>
                  <th>{t("common.email")}</th>
                  <th>{t("common.role")}</th>
                  {manage ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td>{m.user.name}</td>
                    <td>{m.user.email}</td>
                    <td>
                      {manage ? (
                        <ActionForm action={changeRoleAction} submit={t("common.save")} inline variant="secondary">
                          <input type="hidden" name="slug" value={team.slug} />
                          <input type="hidden" name="userId" value={m.user.id} />
                          <RoleSelect defaultValue={m.role} label={`${t("common.role")} ${m.user.email}`} />
                        </ActionForm>
                      ) : (
                        m.role.toLowerCase()
                      )}
                    </td>
                    {manage ? (
                      <td>
                        <ActionForm
                          action={removeMemberAction}
                          submit={t("common.remove")}
                          variant="danger"
                          confirm={`Remove ${m.user.email} from ${team.name}?`}
                        >
                          <input type="hidden" name="slug" value={team.slug} />
                          <input type="hidden" name="userId" value={m.user.id} />
                        </ActionForm>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {manage ? (
            <>
              <h2 style={{ marginTop: 20 }}>{t("team.invite")}</h2>
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
                  <RoleSelect defaultValue="MEMBER" />
                </label>
              </ActionForm>
            </>
          ) : null}
        </section>

        {manage ? (
          <section className="card" aria-labelledby="tokens">
            <h2 id="tokens">{t("team.tokens")}</h2>
            {tokens.length > 0 ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t("common.name")}</th>
                      <th>{t("common.role")}</th>
                      <th>{t("common.status")}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {tokens.map((tok) => (
                      <tr key={tok.id}>
                        <td>
                          {tok.name} <span className="mono muted">skj_{tok.prefix}_…</span>
                        </td>
                        <td>{tok.role.toLowerCase()}</td>
                        <td>{tok.revokedAt ? <span className="badge bad">revoked</span> : <span className="badge ok">active</span>}</td>
                        <td>
                          {tok.revokedAt ? null : (
                            <ActionForm action={revokeTokenAction} submit={t("team.revoke")} variant="danger">
                              <input type="hidden" name="slug" value={team.slug} />
                              <input type="hidden" name="tokenId" value={tok.id} />
                            </ActionForm>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
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
                <RoleSelect defaultValue="MEMBER" />
              </label>
            </ActionForm>
          </section>
        ) : null}
      </div>
    </div>
  );
}
