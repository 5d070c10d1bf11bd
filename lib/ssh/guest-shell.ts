import { randomBytes } from "node:crypto";
import { AppError } from "../core/errors";
import type { K3sShell } from "../k3s/bootstrap";
import type { Privilege } from "../guest/shell";
import type { SshPool } from "./pool";
import { assertRemotePath, quoteArg } from "./quote";
import { targetLabel, type SshTarget } from "./target";

// The GuestShell/K3sShell contract over a pooled SSH connection to a guest (usually a jump through
// its host). One exec is one SSH channel on the pooled connection. Uploads go by SFTP; as the admin
// user (privilege "sudo") a root-only destination is reached through a private temporary file that
// sudo then installs, so the contract "copy this file to that path" holds for both privileges.

export type GuestShellOptions = {
  pool: SshPool;
  target: SshTarget;
  privilege?: Privilege;
  /** per exec; hardening and k3s readiness under software emulation take minutes */
  timeoutMs?: number;
  step?: string;
};

export function createGuestShell(opts: GuestShellOptions): K3sShell {
  const step = opts.step ?? "guest command";
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const exec: K3sShell["exec"] = async (cmd, o) => {
    const r = await opts.pool.exec({ target: opts.target, argv: ["sh", "-c", cmd], stdin: o?.stdin, step, timeoutMs, allowFailure: true });
    return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? 255 };
  };
  return {
    exec,
    async uploadFile({ localPath, remotePath }) {
      const dest = assertRemotePath(remotePath);
      const direct = opts.privilege === "root";
      const staged = direct ? dest : `/tmp/.skjold-upload-${randomBytes(8).toString("hex")}`;
      const ssh = await opts.pool.connection(opts.target, `${step}: upload`);
      try {
        await ssh.putFile(localPath, staged, null, { mode: 0o600 });
      } catch (err) {
        throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(opts.target)}: cannot upload to ${staged} (${(err as Error).message})`, { cause: err });
      }
      if (direct) return;
      const r = await exec(`sudo -n install -D -m 600 -o root -g root ${quoteArg(staged)} ${quoteArg(dest)}; rc=$?; rm -f ${quoteArg(staged)}; exit $rc`);
      if (r.code !== 0) throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(opts.target)}: cannot install the upload at ${dest}: ${r.stderr.trim().slice(0, 300)}`);
    },
  };
}
