import { AppError } from "../core/errors";
import { decryptSecret } from "../core/secrets";
import type { Host } from "../generated/prisma/client";
import type { HostContext } from "../libvirt/virsh";
import { createSshPool, type SshPool } from "../ssh/pool";
import type { SshTarget } from "../ssh/target";

// The bridge from a Host row to SSH: the process-wide connection pool, the decrypted target, and
// the rule that no work runs on a host whose key is unconfirmed or has changed.

const POOL_KEY = Symbol.for("skjold.sshPool");

export function sharedSshPool(): SshPool {
  const g = globalThis as { [POOL_KEY]?: SshPool };
  g[POOL_KEY] ??= createSshPool();
  return g[POOL_KEY];
}

export function hostTarget(
  host: Pick<Host, "id" | "name" | "address" | "port" | "username" | "privateKeyEnc" | "hostKeyFingerprint">,
): SshTarget {
  return {
    hostId: host.id,
    label: host.name,
    host: host.address,
    port: host.port,
    username: host.username,
    privateKey: decryptSecret(host.privateKeyEnc),
    hostKeyFingerprint: host.hostKeyFingerprint,
  };
}

/** Throws unless the host's key is pinned and unchanged. Work on a replaced host stops here. */
export function assertHostUsable(host: Pick<Host, "name" | "status" | "hostKeyFingerprint">): void {
  if (host.status === "KEY_MISMATCH") {
    throw new AppError(
      "HOST_KEY_MISMATCH",
      `${host.name}: its SSH host key changed. All work on it is stopped until an admin confirms the new key.`,
    );
  }
  if (!host.hostKeyFingerprint || host.status === "PENDING_KEY") {
    throw new AppError("CONFLICT", `${host.name}: its SSH host key has not been confirmed by an admin yet.`);
  }
}

export function hostContext(host: Parameters<typeof hostTarget>[0] & Pick<Host, "status">, pool: SshPool = sharedSshPool()): HostContext {
  assertHostUsable(host);
  return { pool, target: hostTarget(host) };
}
