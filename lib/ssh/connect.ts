import type { Duplex } from "node:stream";
import { NodeSSH } from "node-ssh";
import { connectError, hostKeyMismatch, HostKeyUnconfirmedError } from "./errors";
import { fingerprintKeyBlob, keyBlobAlgorithm } from "./fingerprint";
import { targetLabel, type SshTarget } from "./target";

export type HostKeyVerdict =
  | { kind: "ok" }
  | { kind: "unconfirmed"; presented: string; algorithm: string }
  | { kind: "mismatch"; expected: string; presented: string };

/** Pure: what to do with the key a host presented, given what is pinned. */
export function judgeHostKey(opts: { pinned?: string | null; presented: string; algorithm: string }): HostKeyVerdict {
  if (!opts.pinned) return { kind: "unconfirmed", presented: opts.presented, algorithm: opts.algorithm };
  if (opts.pinned !== opts.presented) return { kind: "mismatch", expected: opts.pinned, presented: opts.presented };
  return { kind: "ok" };
}

export interface OpenConnectionOptions {
  target: SshTarget;
  /** an already open stream to the sshd (a jump's forwardOut channel); otherwise TCP to host:port */
  sock?: Duplex;
  timeoutMs?: number;
  step?: string;
}

/**
 * Opens one SSH connection with the host key checked before authentication: an unpinned key throws
 * HostKeyUnconfirmedError (with the presented fingerprint), a different one HOST_KEY_MISMATCH.
 */
export async function openConnection(opts: OpenConnectionOptions): Promise<NodeSSH> {
  const { target, sock } = opts;
  const label = targetLabel(target);
  const step = opts.step ?? "connect";
  let verdict: HostKeyVerdict | undefined;
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      sock,
      readyTimeout: opts.timeoutMs ?? 15_000,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        verdict = judgeHostKey({ pinned: target.hostKeyFingerprint, presented: fingerprintKeyBlob(key), algorithm: keyBlobAlgorithm(key) });
        return verdict.kind === "ok";
      },
    });
  } catch (err) {
    ssh.dispose();
    if (verdict?.kind === "unconfirmed") {
      throw new HostKeyUnconfirmedError({ label, step, presentedFingerprint: verdict.presented, algorithm: verdict.algorithm });
    }
    if (verdict?.kind === "mismatch") throw hostKeyMismatch({ label, step, expected: verdict.expected, presented: verdict.presented });
    throw connectError(label, step, err);
  }
  // node-ssh listens for "error" only while connecting. A connection reset afterwards (a guest
  // destroyed while its connection is still closing, seen in the routed benchmark) would then be an
  // unhandled "error" event and kill the process. Commands in flight fail on their own channel.
  ssh.connection?.on("error", () => undefined);
  return ssh;
}

/**
 * Onboarding: learns the key a host presents without authenticating, for an admin to confirm.
 * Returns { fingerprint, algorithm } as `ssh-keygen -lf` would show them.
 */
export async function fetchHostKey(opts: { target: Omit<SshTarget, "privateKey" | "hostKeyFingerprint">; timeoutMs?: number }) {
  try {
    await openConnection({
      target: { ...opts.target, privateKey: "", hostKeyFingerprint: null },
      timeoutMs: opts.timeoutMs,
      step: "fetch host key",
    });
  } catch (err) {
    if (err instanceof HostKeyUnconfirmedError) return { fingerprint: err.presentedFingerprint, algorithm: err.algorithm };
    throw err;
  }
  throw new Error("unreachable: an unpinned host key cannot verify");
}
