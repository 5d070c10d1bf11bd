import { AppError } from "../core/errors";
import type { SshTarget } from "./target";

// SSH failures as errors an operator can act on. Each names the host and the step it failed in.

/** The host presented a key that is not pinned yet: show `presentedFingerprint` to an admin. */
export class HostKeyUnconfirmedError extends AppError {
  readonly presentedFingerprint: string;
  readonly algorithm: string;
  constructor(opts: { label: string; step: string; presentedFingerprint: string; algorithm: string }) {
    super(
      "CONFLICT",
      `${opts.label}: ${opts.step}: host key not confirmed yet. The host presented ${opts.algorithm} ${opts.presentedFingerprint}; ` +
        "compare it with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host and confirm it to continue",
      { details: { reason: "host-key-unconfirmed", presentedFingerprint: opts.presentedFingerprint, algorithm: opts.algorithm } },
    );
    this.presentedFingerprint = opts.presentedFingerprint;
    this.algorithm = opts.algorithm;
  }
}

export function hostKeyMismatch(opts: { label: string; step: string; expected: string; presented: string }): AppError {
  return new AppError(
    "HOST_KEY_MISMATCH",
    `${opts.label}: ${opts.step}: HOST KEY CHANGED. Pinned ${opts.expected} but the host presented ${opts.presented}. ` +
      "Nothing was run. This is either a reinstalled host or someone in the middle: an admin must check and re-pin the key",
    { details: { reason: "host-key-mismatch", expected: opts.expected, presented: opts.presented } },
  );
}

/** Maps an ssh2/socket error from connecting to an AppError naming host and step. */
export function connectError(label: string, step: string, err: unknown): AppError {
  const e = err as { level?: string; code?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.level === "client-authentication") {
    return new AppError(
      "HOST_UNREACHABLE",
      `${label}: ${step}: the host rejected Skjold's SSH key (${msg}). Install the host's public key in the user's authorized_keys`,
      {
        details: { reason: "auth" },
        cause: err,
      },
    );
  }
  // A host being restarted refuses, times out, resets, is briefly unroutable, or drops the connection
  // before its handshake (an sshd starting or reloading): all worth waiting for.
  const transient =
    ["ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"].includes(e?.code ?? "") ||
    /timed out|lost before handshake/i.test(msg) ||
    e?.level === "client-timeout";
  return new AppError("HOST_UNREACHABLE", `${label}: ${step}: cannot connect over SSH (${e?.code ?? msg})`, {
    details: { reason: e?.code ?? "connect" },
    transient,
    cause: err,
  });
}

// Which target a failure came from, kept beside the error rather than in it (details reach API
// clients; the target holds a private key). The first target named wins: when a jump's host cannot
// be reached, the failure is the host's, not the guest's behind it.
const FAILED_TARGET = new WeakMap<object, Pick<SshTarget, "label" | "hostId" | "hostKeyFingerprint">>();

/** Marks `err` as a failure to reach or run on `target` (unless an inner target was named already); returns it. */
export function blameTarget<E>(err: E, target: SshTarget): E {
  if (typeof err === "object" && err !== null && !FAILED_TARGET.has(err)) {
    FAILED_TARGET.set(err, { label: target.label, hostId: target.hostId, hostKeyFingerprint: target.hostKeyFingerprint });
  }
  return err;
}

/**
 * The Skjold host a failure was meeting, looking through `cause` (a step may wrap what the pool threw):
 * the blamed error itself and the host's id and the key pinned when it was tried. Undefined when no
 * SSH target was blamed or the target was not a host (a guest that is still booting).
 */
export function blamedHost(err: unknown): { error: unknown; hostId: string; hostKeyFingerprint: string | null } | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && typeof e === "object" && e !== null; depth++) {
    const target = FAILED_TARGET.get(e);
    if (target)
      return target.hostId ? { error: e, hostId: target.hostId, hostKeyFingerprint: target.hostKeyFingerprint ?? null } : undefined;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
