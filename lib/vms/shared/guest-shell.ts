import { AppError } from "../../core/errors";
import type { GuestShell } from "../../guest/shell";
import type { SshPool } from "../../ssh/pool";
import { targetLabel, type SshTarget } from "../../ssh/target";

/**
 * A guest that answered SSH before and drops a handshake now (starved under TCG, sshd reloading, the
 * host's connection busy with many tunnels) is worth another try; a rejected key or host key is not.
 */
function asTransient(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== "HOST_UNREACHABLE" || err.transient) return err;
  if ((err.details as { reason?: string } | undefined)?.reason === "auth") return err;
  return new AppError("HOST_UNREACHABLE", err.message, { transient: true, details: err.details, cause: err });
}

/**
 * lib/guest's shell over the pooled connection to a guest. Its commands are fixed strings from
 * lib/guest (`sudo -n /bin/sh -s`); every input travels in the script on stdin, quoted there.
 */
export function guestShell(opts: { pool: SshPool; target: SshTarget; step: string; timeoutMs?: number }): GuestShell {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  return {
    async exec(cmd, execOpts) {
      const ssh = await opts.pool.connection(opts.target, opts.step).catch((err: unknown) => {
        throw asTransient(err);
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppError("TIMEOUT", `${targetLabel(opts.target)}: ${opts.step} did not finish within ${Math.round(timeoutMs / 1000)} s`, { transient: true })),
          timeoutMs,
        );
      });
      try {
        const r = await Promise.race([ssh.execCommand(cmd, { stdin: execOpts?.stdin }), timeout]);
        return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError("HOST_UNREACHABLE", `${targetLabel(opts.target)}: ${opts.step}: connection lost`, { transient: true, cause: err });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
