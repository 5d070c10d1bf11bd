import { AppError } from "../core/errors";

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
  const transient =
    e?.code === "ECONNREFUSED" ||
    e?.code === "ETIMEDOUT" ||
    e?.code === "ECONNRESET" ||
    /timed out/i.test(msg) ||
    e?.level === "client-timeout";
  return new AppError("HOST_UNREACHABLE", `${label}: ${step}: cannot connect over SSH (${e?.code ?? msg})`, {
    details: { reason: e?.code ?? "connect" },
    transient,
    cause: err,
  });
}
