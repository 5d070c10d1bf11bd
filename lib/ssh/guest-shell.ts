import { randomBytes } from "node:crypto";
import { AppError } from "../core/errors";
import type { SshPool } from "./pool";
import { assertRemotePath, quoteArg } from "./quote";
import { targetLabel, type SshTarget } from "./target";

// The shell lib/guest and lib/k3s run their scripts in (their GuestShell/K3sShell contract, matched
// by shape), over a pooled SSH connection to a guest (usually a jump through its host). One exec is
// one SSH channel on the pooled connection. Uploads go by SFTP; as the admin user (privilege "sudo")
// a root-only destination is reached through a private temporary file that sudo then installs, so
// the contract "copy this file to that path" holds for both privileges.

export type SshGuestShell = {
  exec(cmd: string, opts?: { stdin?: string }): Promise<{ stdout: string; stderr: string; code: number }>;
  uploadFile(opts: { localPath: string; remotePath: string }): Promise<void>;
};

export type GuestShellOptions = {
  pool: SshPool;
  target: SshTarget;
  /** how the shell gains root for an upload: through sudo as the admin user (default), or as root */
  privilege?: "sudo" | "root";
  /** per exec; hardening and k3s readiness under software emulation take minutes */
  timeoutMs?: number;
  /** what this is for, named in errors */
  step?: string;
};

/** What ssh(1) reports when the remote command ended without an exit status (killed by a signal). */
const NO_EXIT_STATUS = 255;

/**
 * A guest that answered SSH before and drops a handshake now (starved under TCG, sshd reloading, the
 * host's connection busy with many tunnels) is worth another try; a rejected key or host key is not.
 */
function asTransient(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== "HOST_UNREACHABLE" || err.transient) return err;
  if ((err.details as { reason?: string } | undefined)?.reason === "auth") return err;
  return new AppError("HOST_UNREACHABLE", err.message, { transient: true, details: err.details, cause: err });
}

export function createGuestShell(opts: GuestShellOptions): SshGuestShell {
  const step = opts.step ?? "guest command";
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const exec: SshGuestShell["exec"] = async (cmd, o) => {
    const r = await opts.pool
      .exec({ target: opts.target, argv: ["sh", "-c", cmd], stdin: o?.stdin, step, timeoutMs, allowFailure: true })
      .catch((err: unknown) => {
        throw asTransient(err);
      });
    return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? NO_EXIT_STATUS };
  };
  return {
    exec,
    async uploadFile({ localPath, remotePath }) {
      const dest = assertRemotePath(remotePath);
      const direct = opts.privilege === "root";
      const staged = direct ? dest : `/tmp/.skjold-upload-${randomBytes(8).toString("hex")}`;
      const ssh = await opts.pool.connection(opts.target, `${step}: upload`).catch((err: unknown) => {
        throw asTransient(err);
      });
      try {
        await ssh.putFile(localPath, staged, null, { mode: 0o600 });
      } catch (err) {
        throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(opts.target)}: cannot upload to ${staged} (${(err as Error).message})`, {
          cause: err,
        });
      }
      if (direct) return;
      const r = await exec(
        `sudo -n install -D -m 600 -o root -g root ${quoteArg(staged)} ${quoteArg(dest)}; rc=$?; rm -f ${quoteArg(staged)}; exit $rc`,
      );
      if (r.code !== 0)
        throw new AppError(
          "HOST_COMMAND_FAILED",
          `${targetLabel(opts.target)}: cannot install the upload at ${dest}: ${r.stderr.trim().slice(0, 300)}`,
        );
    },
  };
}
