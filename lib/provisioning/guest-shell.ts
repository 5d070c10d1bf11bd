import { AppError } from "../core/errors";
import type { GuestShell } from "../guest/shell";
import type { SshPool } from "../ssh/pool";
import { targetLabel, type SshTarget } from "../ssh/target";

/**
 * lib/guest's shell over the pooled connection to a guest. Its commands are fixed strings from
 * lib/guest (`sudo -n /bin/sh -s`); every input travels in the script on stdin, quoted there.
 */
export function guestShell(opts: { pool: SshPool; target: SshTarget; step: string; timeoutMs?: number }): GuestShell {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  return {
    async exec(cmd, execOpts) {
      const ssh = await opts.pool.connection(opts.target, opts.step);
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
