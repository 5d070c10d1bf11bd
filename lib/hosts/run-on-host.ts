import { AppError } from "../core/errors";
import type { Host, PrismaClient } from "../generated/prisma/client";
import type { HostContext } from "../libvirt/virsh";
import type { SshPool } from "../ssh/pool";
import { hostContext, sharedSshPool } from "./host-target";

// The one way domain code does work on a host. It refuses hosts whose key is unconfirmed or
// changed (nothing is sent), and records what the attempt taught about the host: a changed key
// stops all work (KEY_MISMATCH, with the key now presented), an unreachable host goes OFFLINE,
// a stopped libvirtd is an ERROR, each with the message naming host and step.

export interface RunOnHostOptions {
  prisma: PrismaClient;
  host: Host;
  sshPool?: SshPool;
}

export async function runOnHost<T>(opts: RunOnHostOptions, work: (ctx: HostContext) => Promise<T>): Promise<T> {
  const ctx = hostContext(opts.host, opts.sshPool ?? sharedSshPool());
  try {
    const result = await work(ctx);
    await opts.prisma.host.update({ where: { id: opts.host.id }, data: { lastSeenAt: new Date() } });
    return result;
  } catch (err) {
    await recordHostFailure({ prisma: opts.prisma, host: opts.host, err });
    throw err;
  }
}

/** Pure: what a failed attempt means for the host's status, or null when it says nothing about the host. */
export function judgeHostFailure(err: unknown): { status: "KEY_MISMATCH" | "OFFLINE" | "ERROR"; presented?: string } | null {
  if (!(err instanceof AppError)) return null;
  const details = (err.details ?? {}) as { reason?: string; presented?: string };
  if (err.code === "HOST_KEY_MISMATCH") return { status: "KEY_MISMATCH", presented: details.presented };
  if (err.code === "HOST_UNREACHABLE") return { status: details.reason === "libvirtd-down" ? "ERROR" : "OFFLINE" };
  return null;
}

async function recordHostFailure(opts: {
  prisma: PrismaClient;
  host: Pick<Host, "id" | "hostKeyFingerprint">;
  err: unknown;
}): Promise<void> {
  const verdict = judgeHostFailure(opts.err);
  if (!verdict) return;
  const lastError = (opts.err as Error).message.slice(0, 1000);
  if (verdict.status === "KEY_MISMATCH") {
    // Only against the key this attempt used: an admin may have re-pinned meanwhile.
    await opts.prisma.host.updateMany({
      where: { id: opts.host.id, hostKeyFingerprint: opts.host.hostKeyFingerprint },
      data: { status: "KEY_MISMATCH", presentedFingerprint: verdict.presented ?? null, lastError },
    });
    return;
  }
  await opts.prisma.host.updateMany({
    where: { id: opts.host.id, status: { in: ["ONLINE", "OFFLINE", "ERROR"] } },
    data: { status: verdict.status, lastError },
  });
}
