import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { roleCan } from "@/lib/access/team-access";
import { pageTitle } from "@/app/_i18n/server";
import { loadVmPage } from "../load-vm-page";
import { consolePasswordAction, openConsoleAction } from "./actions";
import { SerialConsole } from "./serial-console";

export const generateMetadata = pageTitle("console.title");

/** The VM's serial console on a page of its own: the terminal, and "Set console password" beside it. */
export default async function VmConsolePage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, t, role, vm } = await loadVmPage(params);
  const operate = roleCan(role, "operate");
  const running = vm.state === "RUNNING";
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${slug}/vms`}>{t("team.vms")}</Link> · <Link href={`/teams/${slug}/vms/${vm.id}`}>{vm.name}</Link>
      </p>
      <h1 className="flush">{t("console.heading", { name: vm.name })}</h1>
      {!operate ? (
        <p className="alert note" data-testid="console-refused">
          {t("console.membersOnly")}
        </p>
      ) : !running ? (
        <p className="alert note" data-testid="console-not-running">
          {t("console.notRunning", { state: t(`vmState.${vm.state}`) })}
        </p>
      ) : (
        <>
          <section className="card">
            <SerialConsole
              base={`/api/v1/teams/${slug}/vms/${vm.id}/console`}
              open={openConsoleAction.bind(null, slug, vm.id)}
              labels={{
                connecting: t("console.connecting"),
                live: t("console.live"),
                failed: t("console.failed"),
                openAgain: t("console.openAgain"),
                hint: t("console.hint"),
                ended: {
                  closed: t("console.endedClosed"),
                  idle: t("console.endedIdle"),
                  "signed-out": t("console.endedSignedOut"),
                  "console-ended": t("console.endedConsole"),
                  left: t("console.endedClosed"),
                },
              }}
            />
          </section>
          <section className="card" aria-labelledby="console-password">
            <h2 id="console-password">{t("console.passwordTitle")}</h2>
            <p className="muted">{t("console.passwordHint", { user: vm.adminUser })}</p>
            <ActionForm
              action={consolePasswordAction.bind(null, slug, vm.id)}
              submit={t("console.passwordSubmit")}
              testId="console-password-form"
            >
              <label>
                {t("console.passwordLabel")}
                <input type="password" name="password" autoComplete="new-password" minLength={12} maxLength={128} required />
              </label>
            </ActionForm>
          </section>
        </>
      )}
    </div>
  );
}
