import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import type { HostFacts } from "../libvirt/discover";
import type { PrismaClient } from "../generated/prisma/client";
import { fetchHostKey } from "../ssh/connect";
import type { SshPool } from "../ssh/pool";
import { loadHost } from "./host-record";
import { refreshHostFacts } from "./refresh-host";
import { ConfirmHostKeyInput } from "./schemas";

export interface ConfirmHostKeyOptions {
  prisma: PrismaClient;
  principal: Principal;
  hostId: string;
  input: unknown;
  meta?: RequestMeta;
  sshPool?: SshPool;
}

/**
 * Admin: pins the host key the admin saw, if the host presents exactly that key now, then discovers
 * the host. Works for a new host (PENDING_KEY) and for one whose key changed (KEY_MISMATCH).
 * Returns the facts, or the discovery error (the key stays pinned; refresh later).
 */
export async function confirmHostKey(opts: ConfirmHostKeyOptions): Promise<{ facts: HostFacts | null; error: string | null }> {
  requireAdmin(opts.principal);
  const parsed = ConfirmHostKeyInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Host key");
  const { fingerprint, probeKernelPath } = parsed.data;
  const host = await loadHost(opts.prisma, opts.hostId);
  if (host.status !== "PENDING_KEY" && host.status !== "KEY_MISMATCH") {
    throw new AppError("CONFLICT", `${host.name}: its host key is already pinned (${host.hostKeyFingerprint}); nothing to confirm.`, {
      key: "error.host.keyAlreadyPinned",
      params: { name: host.name, fingerprint: host.hostKeyFingerprint },
    });
  }
  const now = await fetchHostKey({ target: { label: host.name, host: host.address, port: host.port, username: host.username } });
  if (now.fingerprint !== host.presentedFingerprint) {
    await opts.prisma.host.update({
      where: { id: host.id },
      data: { presentedFingerprint: now.fingerprint, hostKeyAlgorithm: now.algorithm },
    });
  }
  if (fingerprint !== now.fingerprint) {
    throw new AppError(
      "CONFLICT",
      `${host.name}: the fingerprint you confirmed (${fingerprint}) is not the key the host presents now (${now.algorithm} ${now.fingerprint}). Nothing was pinned; compare again.`,
      {
        key: "error.host.fingerprintDiffers",
        params: { name: host.name, fingerprint, algorithm: now.algorithm, presented: now.fingerprint },
      },
    );
  }
  const pinned = await opts.prisma.host.updateMany({
    where: { id: host.id, status: host.status, hostKeyFingerprint: host.hostKeyFingerprint },
    data: {
      hostKeyFingerprint: fingerprint,
      hostKeyAlgorithm: now.algorithm,
      hostKeyPinnedAt: new Date(),
      presentedFingerprint: null,
      status: "ERROR",
      lastError: "host key pinned; discovery has not finished yet",
    },
  });
  if (pinned.count !== 1)
    throw new AppError("CONFLICT", `${host.name} changed while you confirmed its key; reload and try again.`, {
      key: "error.host.changedWhileConfirming",
      params: { name: host.name },
    });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: host.status === "KEY_MISMATCH" ? "host.key.reconfirm" : "host.key.confirm",
    targetType: "host",
    targetId: host.id,
    details: { fingerprint, algorithm: now.algorithm, previous: host.hostKeyFingerprint },
    meta: opts.meta,
  });
  try {
    return { facts: await refreshHostFacts({ prisma: opts.prisma, hostId: host.id, sshPool: opts.sshPool, probeKernelPath }), error: null };
  } catch (err) {
    if (err instanceof AppError) return { facts: null, error: err.message };
    throw err;
  }
}

/** Admin: after a host key changed (KEY_MISMATCH), pins the new key the admin checked. */
export async function reconfirmHostKey(opts: ConfirmHostKeyOptions) {
  requireAdmin(opts.principal);
  const host = await loadHost(opts.prisma, opts.hostId);
  if (host.status !== "KEY_MISMATCH")
    throw new AppError("CONFLICT", `${host.name}: its host key has not changed; nothing to re-confirm.`, {
      key: "error.host.keyUnchanged",
      params: { name: host.name },
    });
  return confirmHostKey(opts);
}
