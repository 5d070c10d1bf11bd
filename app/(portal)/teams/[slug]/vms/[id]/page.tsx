import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { JobProgress } from "@/components/job-progress";
import { StatusBadge } from "@/components/status-badge";
import { roleCan } from "@/lib/access/team-access";
import { readAllPages } from "@/lib/core/pagination";
import { listPlans } from "@/lib/catalog/catalog";
import { getVmFirewall } from "@/lib/vms/firewall/get-vm-firewall";
import { listRuleSets } from "@/lib/vms/firewall/list-rule-sets";
import { jobErrorText, wordJobErrors } from "@/app/_i18n/lib-text";
import { pageTitle, type T } from "@/app/_i18n/server";
import { jobStateLabels, stepNameLabels, stepStateLabels } from "@/app/_i18n/state-labels";
import { vmEventText } from "@/app/_i18n/vm-outage-text";
import { deleteVmAction, powerAction, resizeAction, verifyAction } from "./actions";
import { CopyLine } from "./copy-button";
import { DeleteVmDialog } from "./delete-dialog";
import { FirewallSection } from "./firewall-section";
import { BackupsSection } from "./backups-section";
import { listVmBackups } from "@/lib/vms/backup/list-backups";
import { listTeamBackupTargets } from "@/lib/backup-targets/list-team-backup-targets";
import { PrivateNetworksSection } from "./private-networks-section";
import { listPrivateNetworks } from "@/lib/network/private/list-private-networks";
import { HardeningReportCard } from "./hardening-report";
import { LeftoversNote } from "./leftovers-note";
import { loadVmPage } from "./load-vm-page";
import { VmFacts } from "./vm-facts";

export const generateMetadata = pageTitle("vm.title");

const POWER = [
  ["start", "vm.start"],
  ["shutdown", "vm.shutdown"],
  ["reboot", "vm.reboot"],
  ["force-off", "vm.forceOff"],
] as const;

/** How the tenant reaches the VM, in words (lib/vms/queries/ssh-access.ts decides; the words are the reader's). */
function sshNote(
  t: T,
  vm: { sshReach: "direct" | "via-host" | null; sshPort: number | null; host: { name: string; networkMode: string } | null },
) {
  if (!vm.sshReach || !vm.host) return t("vm.sshNone");
  if (vm.sshReach === "via-host") return t("vm.sshLabJump", { host: vm.host.name });
  if (vm.host.networkMode === "USER_FORWARD") return t("vm.sshLabLoopback", { host: vm.host.name, port: vm.sshPort ?? "" });
  return t("vm.sshOwnAddress");
}

export default async function VmPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id, user, prisma, t, role, vm } = await loadVmPage(params);
  const snapshot = vm.jobs[0] ? wordJobErrors(vm.jobs[0], (stored) => jobErrorText(stored, t)) : null;
  const operate = roleCan(role, "operate") && vm.state !== "DELETED" && vm.state !== "DELETING";
  const firewall = await getVmFirewall({ prisma, principal: user, teamSlug: slug, vmId: id });
  // Private networks change on a running or stopped VM of a routed or bridged host (a lab-trial host has none).
  const networksChangeable =
    operate &&
    (vm.state === "RUNNING" || vm.state === "STOPPED") &&
    (vm.host?.networkMode === "ROUTED" || vm.host?.networkMode === "BRIDGED");
  const privateNetworks = networksChangeable
    ? (await readAllPages((page) => listPrivateNetworks({ prisma, principal: user, teamSlug: slug, page }))).filter(
        (n) => n.regionCode === vm.region.code,
      )
    : [];
  const ruleSets = operate ? await readAllPages((page) => listRuleSets({ prisma, principal: user, teamSlug: slug, page })) : [];
  const backups = await listVmBackups({ prisma, principal: user, teamSlug: slug, vmId: id });
  const backupTargets = operate ? await listTeamBackupTargets({ prisma, principal: user, teamSlug: slug }) : [];
  const resizable = operate && (vm.state === "RUNNING" || vm.state === "STOPPED");
  const plans = resizable ? await readAllPages((page) => listPlans({ prisma, activeOnly: true, page })) : [];
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${slug}`}>← {slug}</Link> · <Link href={`/teams/${slug}/vms`}>{t("team.vms")}</Link>
      </p>
      <div className="row">
        <h1 className="flush">{vm.name}</h1>
        <StatusBadge of="vm" state={vm.state} label={t(`vmState.${vm.state}`)} plain testId="vm-state" />
      </div>
      {vm.state === "FAILED" && vm.lastError ? (
        <p className="alert error" role="alert" data-testid="vm-last-error">
          {jobErrorText(vm.lastError, t)}
        </p>
      ) : null}
      {vm.state === "FAILED" && vm.bootConsole ? (
        <section className="card" aria-labelledby="vm-console">
          <h2 id="vm-console">{t("vm.console")}</h2>
          <p className="muted">{t("vm.consoleHint", { at: vm.bootConsole.at.toISOString().replace("T", " ").slice(0, 19) })}</p>
          <pre className="console-tail" data-testid="vm-boot-console">
            {vm.bootConsole.lines.join("\n")}
          </pre>
        </section>
      ) : null}
      <LeftoversNote vm={vm} t={t} />
      <section className="card" aria-label={vm.name}>
        <VmFacts vm={vm} t={t} />
        <h2 className="gap-above">{t("vm.sshCommand")}</h2>
        {vm.sshCommand ? <CopyLine text={vm.sshCommand} copy={t("vm.copy")} copied={t("vm.copied")} testId="ssh-command" /> : null}
        {vm.sshCommandIpv6 ? (
          <CopyLine text={vm.sshCommandIpv6} copy={t("vm.copy")} copied={t("vm.copied")} testId="ssh-command-ipv6" />
        ) : null}
        <p className="muted">{sshNote(t, vm)}</p>
        <h2 className="gap-above">{t("vm.hostKey")}</h2>
        {vm.guestHostKeyFingerprint ? (
          <p>
            <code data-testid="guest-host-key">{vm.guestHostKeyFingerprint}</code> <span className="muted">{t("vm.hostKeyHint")}</span>
          </p>
        ) : (
          <p className="muted">{t("vm.notReady")}</p>
        )}
      </section>
      {snapshot ? (
        // Keyed by the job: a new job (an action just taken) gets a card of its own, never the last one's steps and state.
        <JobProgress
          key={snapshot.id}
          initial={snapshot}
          eventsUrl={`/api/v1/teams/${slug}/vms/${vm.id}/events?job=${snapshot.id}`}
          labels={{
            title: `${t("vm.progress")} · ${snapshot.kind}`,
            step: t("vm.step"),
            state: t("vm.state"),
            duration: t("vm.duration"),
            live: t("vm.live"),
            retrying: t("vm.retrying"),
            jobStates: jobStateLabels(t),
            stepStates: stepStateLabels(t),
            stepNames: stepNameLabels(t),
          }}
        />
      ) : null}
      {operate && vm.state === "RUNNING" ? (
        <section className="card" aria-labelledby="vm-serial-console">
          <h2 id="vm-serial-console">{t("vm.serialConsole")}</h2>
          <p className="muted">{t("vm.serialConsoleHint")}</p>
          <Link className="button secondary" href={`/teams/${slug}/vms/${vm.id}/console`} data-testid="open-console">
            {t("vm.openConsole")}
          </Link>
        </section>
      ) : null}
      {operate ? (
        <section className="card" aria-labelledby="vm-actions">
          <h2 id="vm-actions">{t("vm.actions")}</h2>
          <div className="row">
            {(vm.state === "RUNNING" || vm.state === "STOPPED" ? POWER : []).map(([action, label]) => (
              <ActionForm key={action} action={powerAction.bind(null, slug, vm.id)} submit={t(label)} variant="secondary" inline>
                <input type="hidden" name="action" value={action} />
              </ActionForm>
            ))}
            <DeleteVmDialog
              vmName={vm.name}
              action={deleteVmAction.bind(null, slug, vm.id)}
              labels={{
                open: t("vm.delete"),
                title: t("vm.deleteTitle", { name: vm.name }),
                body: t("vm.deleteBody"),
                confirm: t("vm.deleteConfirm"),
                cancel: t("vm.cancel"),
              }}
            />
          </div>
          {resizable ? (
            <>
              <h3 className="gap-above">{t("vm.resizeTitle")}</h3>
              <p className="muted">{t("vm.resizeHint")}</p>
              <ActionForm
                action={resizeAction.bind(null, slug, vm.id)}
                submit={t("vm.resizeSubmit")}
                variant="secondary"
                inline
                testId="resize-form"
              >
                <select name="planCode" defaultValue={vm.plan.code} aria-label={t("vm.plan")}>
                  {plans.map((p) => (
                    <option key={p.code} value={p.code}>
                      {t("vm.resizePlanOption", { name: p.name, vcpus: p.vcpus, memoryMb: p.memoryMb, diskGb: p.diskGb })}
                    </option>
                  ))}
                </select>
              </ActionForm>
            </>
          ) : null}
        </section>
      ) : null}
      <div className="grid">
        <section className="card" aria-labelledby="vm-events">
          <h2 id="vm-events">{t("vm.events")}</h2>
          <ol className="timeline" data-testid="vm-events">
            {vm.events.map((e) => (
              <li key={String(e.id)}>
                <span className="mono muted">{e.at.toISOString().replace("T", " ").slice(0, 19)}</span>{" "}
                <span className="badge">{e.kind}</span> {vmEventText(e, t)}
              </li>
            ))}
          </ol>
        </section>
      </div>
      {vm.privateNics.length || privateNetworks.length ? (
        <PrivateNetworksSection
          t={t}
          slug={slug}
          vmId={vm.id}
          nics={vm.privateNics}
          networks={privateNetworks}
          operate={networksChangeable}
        />
      ) : null}
      <FirewallSection
        t={t}
        slug={slug}
        vmId={vm.id}
        host={vm.host?.name ?? null}
        firewall={firewall}
        sets={ruleSets}
        operate={operate && vm.state !== "FAILED"}
      />
      <BackupsSection
        t={t}
        slug={slug}
        vmId={vm.id}
        running={vm.state === "RUNNING"}
        operate={operate && vm.state !== "FAILED"}
        backups={backups}
        targets={backupTargets}
      />
      <HardeningReportCard report={vm.hardeningReport} t={t}>
        {vm.state === "RUNNING" ? (
          <ActionForm
            action={verifyAction.bind(null, slug, vm.id)}
            submit={t("vm.verifyNow")}
            variant="secondary"
            inline
            testId="verify-form"
          />
        ) : null}
        {vm.hardeningReport ? (
          <a className="button secondary" href={`/api/v1/teams/${slug}/vms/${vm.id}/hardening-report`} download>
            {t("vm.downloadReport")}
          </a>
        ) : null}
      </HardeningReportCard>
    </div>
  );
}
