import { AppError } from "../core/errors";
import { decryptSecret } from "../core/secrets";
import type { Host, PrismaClient } from "../generated/prisma/client";
import type { HostContext } from "../libvirt/virsh";
import { createSshPool, type SshPool } from "../ssh/pool";
import type { SshTarget } from "../ssh/target";
import { recordHostReached } from "./record-host-reached";

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
      { key: "error.host.keyChanged", params: { name: host.name } },
    );
  }
  if (!host.hostKeyFingerprint || host.status === "PENDING_KEY") {
    throw new AppError("CONFLICT", `${host.name}: its SSH host key has not been confirmed by an admin yet.`, {
      key: "error.host.keyNotConfirmed",
      params: { name: host.name },
    });
  }
}

/**
 * How work reaches a usable host. Given `prisma`, a host that is marked OFFLINE is marked ONLINE
 * again as soon as this context reaches it (the first command that runs, or a connection opened):
 * a job need not wait for the health check to tell placement the host is back.
 */
export function hostContext(
  host: Parameters<typeof hostTarget>[0] & Pick<Host, "status">,
  pool: SshPool = sharedSshPool(),
  opts: { prisma?: Pick<PrismaClient, "$executeRaw"> } = {},
): HostContext {
  assertHostUsable(host);
  const { prisma } = opts;
  return {
    pool: prisma && host.status === "OFFLINE" ? reportingReach(pool, () => recordHostReached({ prisma, hostId: host.id })) : pool,
    target: hostTarget(host),
  };
}

/** `pool`, calling `reached` once after the first command or connection through it succeeds. */
function reportingReach(pool: SshPool, reached: () => Promise<unknown>): SshPool {
  let told: Promise<unknown> | undefined;
  const tell = () => (told ??= reached().catch(() => undefined));
  return {
    ...pool,
    exec: async (o) => {
      const r = await pool.exec(o);
      await tell();
      return r;
    },
    connection: async (target, step) => {
      const c = await pool.connection(target, step);
      await tell();
      return c;
    },
    lease: async (target, step) => {
      const l = await pool.lease(target, step);
      await tell();
      return l;
    },
  };
}
