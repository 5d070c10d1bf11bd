import { PassThrough } from "node:stream";
import type { ClientChannel } from "ssh2";
import { AppError } from "../core/errors";
import { blameTarget } from "../ssh/errors";
import type { RemoteExecResult, SshPool } from "../ssh/pool";
import { PLAIN_WORD, quoteCommand, RemotePathSchema } from "../ssh/quote";
import { writeRemoteFile } from "../ssh/sftp";
import { targetLabel, type SshTarget } from "../ssh/target";

// virsh on a host over its pooled SSH connection. Every argument goes through quote.ts (pool.exec
// takes argv); XML travels over SFTP into a private temp directory, never on a command line.

export interface HostContext {
  pool: SshPool;
  target: SshTarget;
}

export const LIBVIRTD_DOWN = /failed to connect to (socket|the hypervisor)|libvirt-sock.*(No such file|Connection refused)/i;

export async function runVirsh(
  ctx: HostContext & { args: readonly string[]; step: string; stdin?: string; timeoutMs?: number; allowFailure?: boolean },
): Promise<RemoteExecResult> {
  const argv = ["virsh", "-q", "-c", "qemu:///system", ...ctx.args];
  const result = await ctx.pool.exec({
    target: ctx.target,
    argv,
    step: ctx.step,
    stdin: ctx.stdin,
    timeoutMs: ctx.timeoutMs,
    allowFailure: true,
  });
  if (result.code !== 0 && LIBVIRTD_DOWN.test(result.stderr)) throw libvirtdDown(ctx);
  if (result.code !== 0 && !ctx.allowFailure) {
    const why = virshErrorText(result.stderr);
    throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: ${ctx.step}: virsh ${ctx.args[0]} failed: ${why}`, {
      details: { exitCode: result.code, step: ctx.step },
    });
  }
  return result;
}

/** The transient error of a host whose libvirtd does not answer (the job retries; the host is blamed). */
export function libvirtdDown(ctx: HostContext & { step: string }): Error {
  return blameTarget(
    new AppError(
      "HOST_UNREACHABLE",
      `${targetLabel(ctx.target)}: ${ctx.step}: libvirtd is not running or not accepting connections on qemu:///system (start libvirtd on the host)`,
      { transient: true, details: { reason: "libvirtd-down", step: ctx.step } },
    ),
    ctx.target,
  );
}

/** virsh's last two error lines without their "error:" prefixes, for a message a person reads. */
export function virshErrorText(stderr: string): string {
  return stderr
    .trim()
    .replace(/^error:\s*/gim, "")
    .split("\n")
    .filter(Boolean)
    .slice(-2)
    .join(" | ")
    .slice(0, 400);
}

/** Runs `fn` with a private temp directory on the host (mode 700), removed afterwards. */
export async function withRemoteTempDir<T>(ctx: HostContext & { step: string }, fn: (dir: string) => Promise<T>): Promise<T> {
  const made = await ctx.pool.exec({
    target: ctx.target,
    argv: ["mktemp", "-d", "/tmp/skjold.XXXXXXXXXX"],
    step: `${ctx.step}: make temp dir`,
  });
  const dir = RemotePathSchema.parse(made.stdout.trim());
  try {
    return await fn(dir);
  } finally {
    await ctx.pool
      .exec({ target: ctx.target, argv: ["rm", "-rf", "--", dir], step: `${ctx.step}: remove temp dir`, allowFailure: true })
      .catch(() => undefined);
  }
}

/** Puts `xml` into a temp file on the host and runs virsh with `args` followed by that file's path. */
export async function runVirshWithXml(
  ctx: HostContext & { args: readonly string[]; xml: string; step: string },
): Promise<RemoteExecResult> {
  return withRemoteTempDir(ctx, async (dir) => {
    const file = `${dir}/object.xml`;
    await writeRemoteFile({ pool: ctx.pool, target: ctx.target, path: file, content: ctx.xml, step: ctx.step });
    return runVirsh({ ...ctx, args: [...ctx.args, file] });
  });
}

/** One interactive `virsh` on the host: a single libvirt connection that lives until `close`. */
export interface VirshSession {
  /** runs one virsh command in the session; every argument must be a plain word (names, paths) */
  send(args: readonly string[]): void;
  /** what virsh printed so far, its prompts and echoed commands removed */
  output(): { stdout: string; stderr: string };
  /** resolves true once `ready` holds for the output, false after `timeoutMs` */
  waitFor(ready: (out: { stdout: string; stderr: string }) => boolean, timeoutMs: number): Promise<boolean>;
  /** ends virsh's input and waits (at most `timeoutMs`) for it to exit and drop its connection */
  close(timeoutMs?: number): Promise<boolean>;
}

/**
 * Opens an interactive virsh over SSH. For domains created `--autodestroy`: libvirt destroys them
 * when this connection ends, also when the caller's process or its SSH connection dies.
 */
export async function openVirshSession(ctx: HostContext & { step: string }): Promise<VirshSession> {
  const { ssh, release } = await ctx.pool.lease(ctx.target, ctx.step);
  const input = new PassThrough();
  let stdout = "";
  let stderr = "";
  let exited = false;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const w of waiters) w();
  };
  let channel: ClientChannel | undefined;
  const run = ssh
    .execCommand(quoteCommand(["virsh", "-q", "-c", "qemu:///system"]), {
      stdin: input,
      onChannel: (c) => (channel = c),
      onStdout: (chunk) => ((stdout = (stdout + chunk.toString("utf8")).slice(-16_384)), changed()),
      onStderr: (chunk) => ((stderr = (stderr + chunk.toString("utf8")).slice(-16_384)), changed()),
    })
    .catch(() => undefined)
    .finally(() => ((exited = true), release(), changed()));
  const output = () => ({ stdout: stdout.replace(/virsh # [^\n]*(\n|$)/g, ""), stderr });
  return {
    send(args) {
      if (!args.every((a) => PLAIN_WORD.test(a))) throw new AppError("VALIDATION", `${ctx.step}: a virsh session takes plain words only`);
      input.write(`${args.join(" ")}\n`);
    },
    output,
    waitFor(ready, timeoutMs) {
      return new Promise<boolean>((resolve) => {
        const check = () => {
          if (!ready(output()) && !exited) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(ready(output()));
        };
        const timer = setTimeout(() => (waiters.delete(check), resolve(false)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close(timeoutMs = 20_000) {
      input.end();
      let timer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([run.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
      clearTimeout(timer);
      // Still running (a command that hangs): let it go rather than kill it. virsh reads the end of
      // its input once that command returns, exits, and only then drops its libvirt connection.
      if (!gone) channel?.close();
      return gone;
    },
  };
}
