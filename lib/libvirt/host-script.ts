import { AppError } from "../core/errors";
import { targetLabel } from "../ssh/target";
import { LIBVIRTD_DOWN, libvirtdDown, virshErrorText, type HostContext } from "./virsh";

// Several host commands in one SSH round trip. The script is a constant written in lib/libvirt
// (never built from input) and runs as `sh -c SCRIPT skjold ARG…`: pool.exec quotes the script and
// each argument as one word with quote.ts, and the script only ever reads its arguments as "$1"…
// inside double quotes. Contents (XML, seed files) travel on stdin, never on a command line, which
// other users of the host can read. On success the script prints `key value` lines; when it stops
// it prints `skjold-fail <what>` and leaves the failing command's own error on stderr.

/** Put at the top of every script: strict variables, virsh on the system URI, and the failure line. */
export const SCRIPT_PRELUDE = `set -u
virsh() { command virsh -q -c qemu:///system "$@"; }
fail() { printf 'skjold-fail %s\\n' "$1"; exit 1; }
`;

export type HostScriptResult = { ok: true; values: Record<string, string> } | { ok: false; what: string; why: string };

export async function runHostScript(
  ctx: HostContext & { step: string; script: string; args: readonly string[]; stdin?: string; timeoutMs?: number },
): Promise<HostScriptResult> {
  const r = await ctx.pool.exec({
    target: ctx.target,
    argv: ["sh", "-c", `${SCRIPT_PRELUDE}${ctx.script}`, "skjold", ...ctx.args],
    step: ctx.step,
    stdin: ctx.stdin ?? "",
    timeoutMs: ctx.timeoutMs,
    allowFailure: true,
  });
  if (r.code !== 0 && LIBVIRTD_DOWN.test(r.stderr)) throw libvirtdDown(ctx);
  const values: Record<string, string> = {};
  for (const line of r.stdout.split("\n")) {
    const m = /^([a-z][a-z-]*) (.*)$/.exec(line);
    if (m?.[1]) values[m[1]] = m[2]!;
  }
  if (r.code === 0) return { ok: true, values };
  const why = virshErrorText(r.stderr) || `exit ${r.code}`;
  if (values["skjold-fail"]) return { ok: false, what: values["skjold-fail"], why };
  throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: ${ctx.step}: failed (exit ${r.code}): ${why}`, {
    details: { exitCode: r.code, step: ctx.step },
  });
}

/** The error for a script that stopped at `what`, worded as runVirsh words a failed virsh command. */
export function hostScriptError(ctx: HostContext & { step: string }, failure: { what: string; why: string }): AppError {
  return new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: ${ctx.step}: ${failure.what} failed: ${failure.why}`, {
    details: { step: ctx.step, failed: failure.what },
  });
}
