import type { Duplex } from "node:stream";
import type { NodeSSH } from "node-ssh";
import type { ClientChannel } from "ssh2";
import { AppError } from "../core/errors";
import { openConnection } from "./connect";
import { blameTarget, connectError } from "./errors";
import { quoteCommand } from "./quote";
import { targetKey, targetLabel, type SshTarget } from "./target";

// One pooled SSH connection per target, shared by every caller: opened on first use, reused,
// reopened when it dropped, closed after `idleMs` without use. A jump target (`via`) keeps its
// host's connection open while it lives. Every command has a timeout.

export interface SshPoolOptions {
  idleMs?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

interface RemoteExecOptions {
  target: SshTarget;
  /** program and arguments; quoted by quote.ts, never concatenated */
  argv: readonly string[];
  /** what this is for, named in errors: "discover host", "define domain", … */
  step: string;
  stdin?: string;
  timeoutMs?: number;
  /** return a non-zero exit instead of throwing HOST_COMMAND_FAILED */
  allowFailure?: boolean;
}

export interface RemoteExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface SshPool {
  exec(opts: RemoteExecOptions): Promise<RemoteExecResult>;
  /** the live pooled connection (for SFTP or forwardOut); do not dispose it */
  connection(target: SshTarget, step: string): Promise<NodeSSH>;
  /** the live pooled connection, kept open (never idle) until `release` is called */
  lease(target: SshTarget, step: string): Promise<{ ssh: NodeSSH; release: () => void }>;
  stats(): { connectsOpened: number; commandsRun: number; open: number };
  close(): Promise<void>;
}

interface Entry {
  ssh: Promise<NodeSSH>;
  busy: number;
  timer?: NodeJS.Timeout;
  release?: () => void;
}

export function createSshPool(options: SshPoolOptions = {}): SshPool {
  const idleMs = options.idleMs ?? 60_000;
  const entries = new Map<string, Entry>();
  const counters = { connectsOpened: 0, commandsRun: 0 };

  const drop = (key: string, entry: Entry) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    clearTimeout(entry.timer);
    entry.release?.();
    entry.ssh.then(
      (s) => s.dispose(),
      () => undefined,
    );
  };

  const touch = (key: string, entry: Entry, delta: number) => {
    entry.busy += delta;
    clearTimeout(entry.timer);
    if (entry.busy === 0) entry.timer = setTimeout(() => drop(key, entry), idleMs).unref();
  };

  async function dial(target: SshTarget, step: string, entry: Entry): Promise<NodeSSH> {
    let sock: Duplex | undefined;
    if (target.via) {
      const via = target.via;
      const hostSsh = await acquire(via, step);
      entry.release = hostSsh.release; // the host's connection stays open while the jump lives
      try {
        sock = await hostSsh.ssh.forwardOut("127.0.0.1", 0, target.host, target.port);
      } catch (err) {
        throw connectError(targetLabel(target), `${step}: tunnel through ${targetLabel(via)}`, err);
      }
    }
    counters.connectsOpened++;
    return openConnection({ target, sock, step, timeoutMs: options.connectTimeoutMs });
  }

  async function acquire(target: SshTarget, step: string): Promise<{ ssh: NodeSSH; release: () => void }> {
    const key = targetKey(target);
    let entry = entries.get(key);
    if (entry) {
      const ssh = await entry.ssh.catch(() => undefined);
      if (!ssh?.isConnected()) drop(key, entry);
      entry = entries.get(key);
    }
    if (!entry) {
      const fresh: Entry = { ssh: Promise.resolve(undefined as never), busy: 0 };
      fresh.ssh = dial(target, step, fresh);
      entries.set(key, fresh);
      fresh.ssh.then(
        // An idle connection the host resets emits "error" with no other listener: without this
        // handler that would crash the process. Drop it; the next exec reconnects.
        (s) => s.connection?.on("close", () => drop(key, fresh)).on("error", () => drop(key, fresh)),
        () => drop(key, fresh),
      );
      entry = fresh;
    }
    const current = entry;
    touch(key, current, +1);
    try {
      const ssh = await current.ssh;
      let released = false;
      return { ssh, release: () => (released ? undefined : ((released = true), touch(key, current, -1))) };
    } catch (err) {
      touch(key, current, -1);
      throw blameTarget(err, target);
    }
  }

  async function execOnce(opts: RemoteExecOptions, command: string): Promise<{ result?: RemoteExecResult; retry: boolean }> {
    const label = targetLabel(opts.target);
    const { ssh, release } = await acquire(opts.target, opts.step);
    let channel: ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = opts.timeoutMs ?? options.commandTimeoutMs ?? 60_000;
    try {
      counters.commandsRun++;
      const run = ssh.execCommand(command, { stdin: opts.stdin, onChannel: (c) => (channel = c) });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          channel?.signal("KILL");
          channel?.close();
          reject(
            new AppError("TIMEOUT", `${label}: ${opts.step}: \`${opts.argv[0]}\` did not finish within ${timeoutMs} ms`, {
              transient: true,
            }),
          );
        }, timeoutMs);
      });
      const r = await Promise.race([run, timeout]);
      return { result: { stdout: r.stdout, stderr: r.stderr, code: r.code }, retry: false };
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The connection dropped. If no channel was opened, nothing ran: reconnect and try once more.
      if (!channel) return { retry: true };
      throw new AppError("HOST_UNREACHABLE", `${label}: ${opts.step}: connection lost while \`${opts.argv[0]}\` ran`, {
        transient: true,
        cause: err,
      });
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  async function exec(opts: RemoteExecOptions): Promise<RemoteExecResult> {
    const command = quoteCommand(opts.argv);
    let attempt = await execOnce(opts, command);
    if (attempt.retry) {
      const key = targetKey(opts.target);
      const stale = entries.get(key);
      if (stale) drop(key, stale);
      attempt = await execOnce(opts, command);
    }
    const result = attempt.result;
    if (!result)
      throw new AppError("HOST_UNREACHABLE", `${targetLabel(opts.target)}: ${opts.step}: connection lost twice`, { transient: true });
    if (result.code !== 0 && !opts.allowFailure) {
      const why = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" | ").slice(0, 400);
      throw new AppError(
        "HOST_COMMAND_FAILED",
        `${targetLabel(opts.target)}: ${opts.step}: \`${opts.argv.slice(0, 2).join(" ")}\` failed (exit ${result.code}): ${why}`,
        {
          details: { exitCode: result.code, step: opts.step },
        },
      );
    }
    return result;
  }

  return {
    exec: (opts) => exec(opts).catch((err: unknown) => Promise.reject(blameTarget(err, opts.target))),
    async connection(target, step) {
      const { ssh, release } = await acquire(target, step);
      release();
      return ssh;
    },
    lease: (target, step) => acquire(target, step),
    stats: () => ({ ...counters, open: entries.size }),
    async close() {
      for (const [key, entry] of [...entries]) drop(key, entry);
    },
  };
}
