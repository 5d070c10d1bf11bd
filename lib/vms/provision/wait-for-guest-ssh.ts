import type { Duplex } from "node:stream";
import type { NodeSSH } from "node-ssh";
import { AppError } from "../../core/errors";
import { openConnection } from "../../ssh/connect";
import { blamedHost } from "../../ssh/errors";
import type { SshPool } from "../../ssh/pool";
import type { SshTarget } from "../../ssh/target";

// Waiting for a booting guest's SSH through its host. Every probe is its own connection with a hard
// deadline on each phase (tunnel, handshake, command), disposed afterwards: a guest that accepts TCP
// but never sends its banner (slirp forwards before sshd listens; a starved TCG guest) cannot leave
// a half-open connection behind that later probes would wait on. The host's pooled connection
// carries the tunnels.

const PROBE_PHASE_MS = 15_000;

export interface GuestProbeOptions {
  pool: SshPool;
  target: SshTarget;
  /** deadline of each phase; a starved TCG guest needs longer handshakes than a KVM one */
  phaseMs?: number;
  /** run on the same connection once logged in (e.g. `cloud-init status --wait`), with its own deadline */
  afterLogin?: { command: string; timeoutMs: number };
}

/** `promise`, or a transient TIMEOUT naming `what` after `ms`; what arrives late goes to `onLate` (to dispose of it). */
function within<T>(opts: { promise: Promise<T>; ms: number; what: string; onLate?: (value: T) => void }): Promise<T> {
  const { promise: p, ms, what, onLate } = opts;
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  p.then(
    (v) => late && onLate?.(v),
    () => undefined,
  );
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(new AppError("TIMEOUT", `${what} took longer than ${ms / 1000} s`, { transient: true }));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Waiting cannot fix a host key that differs from the pinned one (or one nobody pinned). */
const isKeyProblem = (err: unknown) => err instanceof AppError && (err.code === "HOST_KEY_MISMATCH" || err.code === "CONFLICT");

/**
 * One probe: tunnel through the host (or straight to the guest's own address when the portal routes
 * to it), handshake with the pinned guest key, log in, run `true`.
 */
async function probeGuestSsh(opts: GuestProbeOptions & { step: string }): Promise<{ stdout: string }> {
  const { target } = opts;
  const phaseMs = opts.phaseMs ?? PROBE_PHASE_MS;
  const via = target.via;
  const hostSsh = via ? await within({ promise: opts.pool.connection(via, opts.step), ms: phaseMs, what: "connecting to the host" }) : null;
  let sock: Duplex | undefined;
  let guest: NodeSSH | undefined;
  try {
    if (hostSsh) {
      sock = await within({
        promise: hostSsh.forwardOut("127.0.0.1", 0, target.host, target.port),
        ms: phaseMs,
        what: "opening the tunnel",
        onLate: (s) => s.destroy(),
      });
    }
    guest = await within({
      promise: openConnection({ target: { ...target, via: undefined }, sock, timeoutMs: phaseMs, step: opts.step }),
      ms: phaseMs + 2_000,
      what: "the SSH handshake",
      onLate: (c) => c.dispose(),
    });
    const r = await within({ promise: guest.execCommand("true"), ms: phaseMs, what: "running a command" });
    if (r.code !== 0)
      throw new AppError("HOST_UNREACHABLE", `${target.label ?? "guest"}: logged in, but \`true\` exited ${r.code}`, { transient: true });
    if (!opts.afterLogin) return { stdout: "" };
    const after = await within({
      promise: guest.execCommand(opts.afterLogin.command),
      ms: opts.afterLogin.timeoutMs,
      what: `\`${opts.afterLogin.command}\``,
    });
    return { stdout: after.stdout };
  } catch (err) {
    if (isKeyProblem(err)) throw err;
    throw err instanceof AppError
      ? err
      : new AppError("HOST_UNREACHABLE", `${target.label ?? "guest"}: ${(err as Error).message}`, { transient: true, cause: err });
  } finally {
    guest?.dispose();
    sock?.destroy();
  }
}

/**
 * Waits until the guest really answers SSH (pinned host key, login, a command). Stops at once when
 * `signal` aborts (cancel, worker stopping) and on a host-key problem; otherwise retries until
 * `timeoutMs`, then fails with a transient TIMEOUT (the job retries the step with backoff).
 */
export async function waitForGuestSsh(
  opts: GuestProbeOptions & { timeoutMs: number; signal: AbortSignal; intervalMs?: number },
): Promise<{ attempts: number; elapsedMs: number; stdout: string }> {
  const started = Date.now();
  let attempts = 0;
  let last: unknown;
  while (Date.now() - started < opts.timeoutMs) {
    if (opts.signal.aborted)
      throw new AppError("CONFLICT", "Stopped waiting for SSH: the job was cancelled or handed over", { transient: true });
    attempts++;
    try {
      const { stdout } = await probeGuestSsh({ ...opts, step: "wait for the guest's SSH" });
      return { attempts, elapsedMs: Date.now() - started, stdout };
    } catch (err) {
      if (isKeyProblem(err)) throw err;
      // The host itself did not answer: not a guest still booting but a host outage, which the job
      // records on the host and waits out (docs/hosts.md) instead of probing on for minutes.
      if (blamedHost(err)) throw err;
      last = err; // refused, closed before the banner, timed out: the guest is still booting
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1_000));
  }
  throw new AppError(
    "TIMEOUT",
    `${opts.target.label ?? "guest"}: no SSH answer within ${Math.round(opts.timeoutMs / 1000)} s (last: ${(last as Error | undefined)?.message ?? "none"})`,
    {
      transient: true,
    },
  );
}
