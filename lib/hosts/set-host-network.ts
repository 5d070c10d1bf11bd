import type { RequestMeta } from "../access/principal";
import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { hostNetworkProblems, readHostNetworkFacts } from "../network/check-host-network";
import { lockPoolDefinitions } from "../network/pool-record";
import type { SshPool } from "../ssh/pool";
import { loadHost, type PublicHost, toPublicHost } from "./host-record";
import { describeOwnedPools } from "./owned-pools";
import { assertHostUsable } from "./host-target";
import { runOnHost } from "./run-on-host";
import { HostNetworkInput } from "./schemas";

/**
 * Admin: how a host gives its guests addresses. The host is asked first (its key must be pinned):
 * the uplink or bridge must exist (a bridge must be a bridge), a routed host must forward, and
 * Skjold's user may run `ip` and `nft` as root. Anything wrong is refused naming the field, and
 * nothing is stored. The mode cannot change under live VMs: their taps were made for the old one;
 * nor can a routed host stop routing while address pools are routed to it.
 */
export async function setHostNetwork(opts: {
  prisma: PrismaClient;
  principal: Principal;
  hostId: string;
  input: unknown;
  meta?: RequestMeta;
  sshPool?: SshPool;
}): Promise<PublicHost> {
  requireAdmin(opts.principal);
  const parsed = HostNetworkInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Host network");
  const input = parsed.data;
  const host = await loadHost(opts.prisma, opts.hostId);
  if (input.networkMode !== host.networkMode) {
    const live = await opts.prisma.virtualMachine.count({ where: { hostId: host.id, state: { notIn: ["FAILED", "DELETED"] } } });
    if (live > 0) {
      throw new AppError(
        "CONFLICT",
        `${host.name} has ${live} VM(s) set up for ${host.networkMode.toLowerCase()} networking; move or delete them before changing its mode`,
        { key: "error.host.modeInUse", params: { name: host.name, count: live, mode: host.networkMode.toLowerCase() } },
      );
    }
  }
  const leavesRouting = host.networkMode === "ROUTED" && input.networkMode !== "ROUTED";
  if (leavesRouting) await refuseOwnedPools(opts.prisma, host.name, host.id); // before asking the host
  assertHostUsable(host);
  const device = input.networkMode === "ROUTED" ? (input.uplink ?? null) : input.networkMode === "BRIDGED" ? (input.bridge ?? null) : null;
  const facts =
    input.networkMode === "USER_FORWARD"
      ? null
      : await runOnHost({ prisma: opts.prisma, host, sshPool: opts.sshPool }, (ctx) => readHostNetworkFacts({ ...ctx, device }));
  const problems = facts ? hostNetworkProblems({ mode: input.networkMode, device, facts }) : [];
  if (problems.length > 0) {
    throw new AppError("VALIDATION", `Host network: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`, {
      details: problems.map((p) => ({ path: p.field, message: p.message })),
    });
  }
  const updated = await opts.prisma.$transaction(async (tx) => {
    // Again under the pool-definitions lock: a routed pool added while the host was asked is seen.
    if (leavesRouting) {
      await lockPoolDefinitions(tx);
      await refuseOwnedPools(tx, host.name, host.id);
    }
    return tx.host.update({
      where: { id: host.id },
      data: {
        networkMode: input.networkMode,
        uplink: input.networkMode === "ROUTED" ? (input.uplink ?? null) : null,
        bridge: input.networkMode === "BRIDGED" ? (input.bridge ?? null) : null,
        guestAccess: input.guestAccess,
        networkProblem: null,
        networkCheckedAt: new Date(),
      },
    });
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.network",
    targetType: "host",
    targetId: host.id,
    details: {
      name: host.name,
      from: host.networkMode,
      to: updated.networkMode,
      uplink: updated.uplink,
      bridge: updated.bridge,
      guestAccess: updated.guestAccess,
    },
    meta: opts.meta,
  });
  return toPublicHost(updated);
}

async function refuseOwnedPools(db: Parameters<typeof describeOwnedPools>[0], name: string, hostId: string): Promise<void> {
  const owned = await describeOwnedPools(db, hostId);
  if (owned.count === 0) return;
  const message = `${name} still owns ${owned.text}; delete them under Admin → Networks before it stops routing`;
  throw new AppError("CONFLICT", `Host network: networkMode: ${message}`, { details: [{ path: "networkMode", message }] });
}
