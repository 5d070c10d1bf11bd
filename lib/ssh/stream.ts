import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ClientChannel } from "ssh2";
import { AppError } from "../core/errors";
import { errorMessage } from "../core/error-text";
import { blameTarget } from "./errors";
import type { SshPool } from "./pool";
import { quoteCommand } from "./quote";
import { targetLabel, type SshTarget } from "./target";

// Bytes from a command on one host into a command on another, through this process: host A's
// stdout → sha256 and a byte count here → host B's stdin. The two hosts need no trust in each other
// (no key of one on the other); the data crosses two SSH connections that Skjold already pins.

export interface StreamEnd {
  pool: SshPool;
  target: SshTarget;
  /** quoted by quote.ts */
  argv: readonly string[];
  step: string;
}

interface RunningCommand {
  channel: ClientChannel;
  done: Promise<{ code: number | null; stderr: string }>;
  release: () => void;
}

async function start(end: StreamEnd): Promise<RunningCommand> {
  const { ssh, release } = await end.pool.lease(end.target, end.step);
  const client = ssh.connection;
  if (!client) {
    release();
    throw blameTarget(startFailed(end), end.target);
  }
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.exec(quoteCommand(end.argv), (err, ch) => (err ? reject(err) : resolve(ch))),
  ).catch((err: unknown) => {
    release();
    throw blameTarget(startFailed(end, err), end.target);
  });
  let stderr = "";
  channel.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString("utf8");
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let code: number | null = null;
    channel.on("exit", (c: number | null) => (code = c));
    channel.on("close", () => resolve({ code, stderr }));
  });
  return { channel, done, release };
}

function startFailed(end: StreamEnd, cause?: unknown): AppError {
  const params = { target: targetLabel(end.target), step: end.step, command: end.argv[0] ?? "" };
  return new AppError("HOST_UNREACHABLE", errorMessage("error.ssh.streamStart", params), {
    key: "error.ssh.streamStart",
    params,
    transient: true,
    cause,
  });
}

function failed(end: StreamEnd, r: { code: number | null; stderr: string }): AppError {
  const why = r.stderr.trim().split("\n").slice(-2).join(" | ").slice(0, 400) || `exit ${r.code}`;
  const params = { target: targetLabel(end.target), step: end.step, command: end.argv[0] ?? "", why };
  return new AppError("HOST_COMMAND_FAILED", errorMessage("error.ssh.streamFailed", params), {
    key: "error.ssh.streamFailed",
    params,
    details: { exitCode: r.code, step: end.step },
  });
}

/**
 * Runs `from` and `to` at once and pipes the first's stdout into the second's stdin. Resolves with
 * the bytes that passed and their sha256 once both commands exited 0; either failing rejects.
 * With `to` omitted the bytes are only counted and hashed here (reading a file back to check it).
 */
export async function streamBetween(opts: {
  from: StreamEnd;
  to?: StreamEnd;
  signal?: AbortSignal;
}): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const source = await start(opts.from);
  let sink: RunningCommand | undefined;
  try {
    sink = opts.to ? await start(opts.to) : undefined;
    // The sink's own stdout is not wanted, but must be read: its channel closes only once drained.
    sink?.channel.resume();
    const abort = () => {
      source.channel.close();
      sink?.channel.close();
    };
    opts.signal?.addEventListener("abort", abort, { once: true });
    try {
      const drain = new Transform({ transform: (_c, _e, cb) => cb() });
      const piped = sink
        ? pipeline(source.channel, tap, sink.channel)
        : pipeline(
            source.channel,
            tap,
            drain.on("data", () => undefined),
          );
      const [, from, to] = await Promise.all([piped.catch(() => undefined), source.done, sink?.done]);
      if (from.code !== 0) throw failed(opts.from, from);
      if (opts.to && to && to.code !== 0) throw failed(opts.to, to);
      if (opts.signal?.aborted) throw new Error("the copy was stopped");
    } finally {
      opts.signal?.removeEventListener("abort", abort);
    }
  } finally {
    source.release();
    sink?.release();
  }
  return { bytes, sha256: hash.digest("hex") };
}
