import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import { findTeamVm, type VmRequest } from "../shared/find-team-vm";
import { loadVm, requirePlaced } from "../shared/load-vm";
import { vmGuestShell } from "../shared/vm-guest-shell";
import { ConsolePasswordSchema } from "./schemas";

// "Set console password": the guest's admin user gets a password for logging in on the serial
// console. SSH stays key-only (the hardened sshd has PasswordAuthentication no and
// AuthenticationMethods publickey), so the password opens the console and nothing else. It travels
// over the management SSH connection on chpasswd's stdin: never in a command line, a log, an event,
// the audit log or Skjold's database.

export async function setConsolePassword(opts: VmRequest & { input: unknown }): Promise<void> {
  const parsed = ConsolePasswordSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Console password");
  const { team, vm } = await findTeamVm(opts);
  if (vm.state !== "RUNNING")
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state.toLowerCase()}; the console works on a running VM.`, {
      key: "error.console.notRunning",
      params: { name: vm.name, vmState: vm.state },
    });
  const placed = requirePlaced(await loadVm(opts.prisma, vm.id));
  const shell = vmGuestShell({ vm: placed, step: "set the console password" });
  const r = await shell.exec("sudo -n chpasswd", { stdin: `${placed.adminUser}:${parsed.data.password}\n` });
  if (r.code !== 0)
    throw new AppError("CONFLICT", `The console password could not be set on ${vm.name}: the guest refused it (exit ${r.code}).`, {
      key: "error.console.passwordFailed",
      params: { name: vm.name, code: r.code },
    });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "vm.console.password",
    teamId: team.id,
    targetType: "vm",
    targetId: vm.id,
    details: { name: vm.name, user: placed.adminUser },
    meta: opts.meta,
  });
}
