import { requireTeam } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError } from "../../core/errors";
import { openConsole } from "../../libvirt/console";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { attachConsoleSession, type ConsoleSession, consoleSessionsOfVm, MAX_CONSOLE_SESSIONS_PER_VM } from "./console-hub";
import { readConsoleIdleMinutes } from "./idle-setting";

// A person opens a running VM's serial console: members and owners of its team (a viewer or an
// auditor gets 403, another team 404), signed in with a browser session (an API token has no
// sign-in to end with). Audited when it opens and, with how long it lasted and why it ended, when
// it ends. It ends when its page closes it or leaves, after the admin's idle limit without a
// keystroke, when its sign-in is revoked or expires, when the person loses the team role, and when
// the VM's console ends (the VM stopped).

export async function openVmConsole(
  opts: VmRequest & {
    /** overrides the admin's idle limit (tests) */
    idleMs?: number;
    checkEveryMs?: number;
    orphanMs?: number;
  },
): Promise<{ session: ConsoleSession; idleMinutes: number }> {
  const { principal, prisma } = opts;
  const { team, vm } = await findTeamVm(opts);
  if (principal.kind !== "user")
    throw new AppError("FORBIDDEN", "The console is for a signed-in person, not an API token.", { key: "error.console.peopleOnly" });
  if (vm.state !== "RUNNING")
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; the console works on a running VM.`, {
      key: "error.console.notRunning",
      params: { name: vm.name, vmState: vm.state },
    });
  if (consoleSessionsOfVm(vm.id) >= MAX_CONSOLE_SESSIONS_PER_VM)
    throw new AppError("CONFLICT", `${vm.name} already has ${MAX_CONSOLE_SESSIONS_PER_VM} console sessions open; close one first.`, {
      key: "error.console.tooMany",
      params: { name: vm.name, max: MAX_CONSOLE_SESSIONS_PER_VM },
    });
  const placed = requirePlaced(await loadVm(prisma, vm.id));
  const idleMinutes = await readConsoleIdleMinutes({ prisma });
  const actor = actorOf(principal);
  const session = await attachConsoleSession({
    vmId: vm.id,
    userId: principal.userId,
    portalSessionId: principal.sessionId,
    connect: (onText) => openConsole({ ...vmHostContext(placed, prisma), name: placed.domainName, onText }),
    idleMs: opts.idleMs ?? idleMinutes * 60_000,
    checkEveryMs: opts.checkEveryMs,
    orphanMs: opts.orphanMs,
    stillAllowed: async () => {
      const s = await prisma.session.findUnique({ where: { id: principal.sessionId }, include: { user: true } });
      if (!s || s.expiresAt.getTime() <= Date.now() || s.user.disabledAt) return false;
      return requireTeam({ prisma, principal, slug: team.slug, need: "operate" }).then(
        () => true,
        (err: unknown) => (err instanceof AppError ? false : Promise.reject(err)),
      );
    },
    onEnd: ({ session: ended, reason, durationMs }) =>
      recordAudit({
        prisma,
        ...actor,
        action: "vm.console.close",
        teamId: team.id,
        targetType: "vm",
        targetId: vm.id,
        details: { name: vm.name, sessionId: ended.id, reason, durationSeconds: Math.round(durationMs / 1000) },
        meta: opts.meta,
      }),
  });
  if (!session)
    throw new AppError("HOST_UNREACHABLE", `The console of ${vm.name} could not be opened on its host; try again in a moment.`, {
      key: "error.console.unavailable",
      params: { name: vm.name },
    });
  await recordAudit({
    prisma,
    ...actor,
    action: "vm.console.open",
    teamId: team.id,
    targetType: "vm",
    targetId: vm.id,
    details: { name: vm.name, sessionId: session.id, idleMinutes },
    meta: opts.meta,
  });
  return { session, idleMinutes };
}
