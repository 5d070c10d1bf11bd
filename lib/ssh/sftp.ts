import { AppError } from "../core/errors";
import type { SshPool } from "./pool";
import { assertRemotePath } from "./quote";
import { targetLabel, type SshTarget } from "./target";

/** Writes `content` to `path` on the target over SFTP on the pooled connection (no shell involved). */
export async function writeRemoteFile(opts: {
  pool: SshPool;
  target: SshTarget;
  path: string;
  content: string | Buffer;
  mode?: number;
  step: string;
}): Promise<void> {
  const path = assertRemotePath(opts.path);
  const ssh = await opts.pool.connection(opts.target, opts.step);
  const sftp = await ssh.requestSFTP();
  try {
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, opts.content, { mode: opts.mode ?? 0o600 }, (err) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    throw new AppError(
      "HOST_COMMAND_FAILED",
      `${targetLabel(opts.target)}: ${opts.step}: cannot write ${path} over SFTP (${(err as Error).message})`,
      { cause: err },
    );
  } finally {
    sftp.end();
  }
}
