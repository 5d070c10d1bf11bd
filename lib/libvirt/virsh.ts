import { AppError } from "../core/errors";
import type { RemoteExecResult, SshPool } from "../ssh/pool";
import { RemotePathSchema } from "../ssh/quote";
import { writeRemoteFile } from "../ssh/sftp";
import { targetLabel, type SshTarget } from "../ssh/target";

// virsh on a host over its pooled SSH connection. Every argument goes through quote.ts (pool.exec
// takes argv); XML travels over SFTP into a private temp directory, never on a command line.

export interface HostContext {
  pool: SshPool;
  target: SshTarget;
}

const LIBVIRTD_DOWN = /failed to connect to (socket|the hypervisor)|libvirt-sock.*(No such file|Connection refused)/i;

export async function runVirsh(
  ctx: HostContext & { args: readonly string[]; step: string; stdin?: string; timeoutMs?: number; allowFailure?: boolean },
): Promise<RemoteExecResult> {
  const argv = ["virsh", "-q", "-c", "qemu:///system", ...ctx.args];
  const result = await ctx.pool.exec({ target: ctx.target, argv, step: ctx.step, stdin: ctx.stdin, timeoutMs: ctx.timeoutMs, allowFailure: true });
  if (result.code !== 0 && LIBVIRTD_DOWN.test(result.stderr)) {
    throw new AppError("HOST_UNREACHABLE", `${targetLabel(ctx.target)}: ${ctx.step}: libvirtd is not running or not accepting connections on qemu:///system (start libvirtd on the host)`, {
      transient: true,
      details: { reason: "libvirtd-down", step: ctx.step },
    });
  }
  if (result.code !== 0 && !ctx.allowFailure) {
    const why = result.stderr.trim().replace(/^error:\s*/gim, "").split("\n").filter(Boolean).slice(-2).join(" | ").slice(0, 400);
    throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: ${ctx.step}: virsh ${ctx.args[0]} failed: ${why}`, {
      details: { exitCode: result.code, step: ctx.step },
    });
  }
  return result;
}

/** Runs `fn` with a private temp directory on the host (mode 700), removed afterwards. */
export async function withRemoteTempDir<T>(ctx: HostContext & { step: string }, fn: (dir: string) => Promise<T>): Promise<T> {
  const made = await ctx.pool.exec({ target: ctx.target, argv: ["mktemp", "-d", "/tmp/skjold.XXXXXXXXXX"], step: `${ctx.step}: make temp dir` });
  const dir = RemotePathSchema.parse(made.stdout.trim());
  try {
    return await fn(dir);
  } finally {
    await ctx.pool.exec({ target: ctx.target, argv: ["rm", "-rf", "--", dir], step: `${ctx.step}: remove temp dir`, allowFailure: true }).catch(() => undefined);
  }
}

/** Puts `xml` into a temp file on the host and runs virsh with `args` followed by that file's path. */
export async function runVirshWithXml(ctx: HostContext & { args: readonly string[]; xml: string; step: string }): Promise<RemoteExecResult> {
  return withRemoteTempDir(ctx, async (dir) => {
    const file = `${dir}/object.xml`;
    await writeRemoteFile({ pool: ctx.pool, target: ctx.target, path: file, content: ctx.xml, step: ctx.step });
    return runVirsh({ ...ctx, args: [...ctx.args, file] });
  });
}
