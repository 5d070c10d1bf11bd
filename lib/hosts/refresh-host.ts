import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError } from "../core/errors";
import type { Host, PrismaClient } from "../generated/prisma/client";
import { discoverHost, type HostFacts } from "../libvirt/discover";
import { probeAccelerator } from "../libvirt/probe";
import { hostNetworkProblems, readHostNetworkFacts } from "../network/check-host-network";
import type { HostContext } from "../libvirt/virsh";
import type { SshPool } from "../ssh/pool";
import { listBootFiles } from "./boot-files";
import { loadHost } from "./host-record";
import { assertHostUsable } from "./host-target";
import { markHostUnhealthy } from "./record-host-failure";
import { runOnHost } from "./run-on-host";
import { saveHostFacts } from "./save-host-facts";

export interface RefreshHostFactsOptions {
  prisma: PrismaClient;
  hostId: string;
  sshPool?: SshPool;
  /** probe KVM/TCG with this kernel; without it the probe runs only while the accelerator is UNKNOWN */
  probeKernelPath?: string;
  /** force a new accelerator probe even when one is stored */
  reprobe?: boolean;
}

/** Re-discovers a host and stores its facts. Not authorised: for jobs; admins call `refreshHost`. */
export async function refreshHostFacts(opts: RefreshHostFactsOptions): Promise<HostFacts> {
  const host = await loadHost(opts.prisma, opts.hostId);
  assertHostUsable(host); // a refusal says nothing new about the host: not recorded as an error
  try {
    let networkProblem: string | null = null;
    const facts = await runOnHost({ prisma: opts.prisma, host, sshPool: opts.sshPool }, async (ctx) => {
      const found = await discoverHost(ctx);
      networkProblem = await checkNetwork({ ...ctx, host });
      if (!(opts.probeKernelPath || opts.reprobe || host.accelerator === "UNKNOWN")) return found;
      const kernelPath = opts.probeKernelPath ?? (await findProbeKernel({ ...ctx, prisma: opts.prisma, host, pools: found.pools }));
      return kernelPath ? { ...found, accelerator: await probeAccelerator({ ...ctx, kernelPath }) } : found;
    });
    await saveHostFacts({ prisma: opts.prisma, hostId: host.id, facts, networkProblem });
    return facts;
  } catch (err) {
    if (!(err instanceof AppError) || !["HOST_KEY_MISMATCH", "HOST_UNREACHABLE"].includes(err.code)) {
      const lastError = err instanceof Error ? err.message.slice(0, 1000) : "discovery failed";
      await markHostUnhealthy({ prisma: opts.prisma, hostId: host.id, status: "ERROR", lastError });
    }
    throw err;
  }
}

/** What keeps the host from giving guests addresses in its mode, in words; null when nothing does. */
async function checkNetwork(ctx: HostContext & { host: Host }): Promise<string | null> {
  const { host } = ctx;
  if (host.networkMode === "USER_FORWARD") return null;
  const device = host.networkMode === "ROUTED" ? host.uplink : host.bridge;
  const problems = hostNetworkProblems({ mode: host.networkMode, device, facts: await readHostNetworkFacts({ ...ctx, device }) });
  return problems.length ? problems.map((p) => `${p.field}: ${p.message}`).join("; ") : null;
}

/** A kernel to probe with: a registered image's, else one kept beside a pool (boot-files.ts). */
async function findProbeKernel(ctx: HostContext & { prisma: PrismaClient; host: Host; pools: HostFacts["pools"] }): Promise<string | null> {
  const copy = await ctx.prisma.imageCopy.findFirst({
    where: { hostId: ctx.host.id, kernelPath: { not: null } },
    orderBy: { createdAt: "desc" },
  });
  if (copy?.kernelPath) return copy.kernelPath;
  for (const p of ctx.pools) {
    if (!p.path) continue;
    const kernel = (await listBootFiles({ ...ctx, poolPath: p.path })).find((f) => f.endsWith("/vmlinuz"));
    if (kernel) return kernel;
  }
  return null;
}

/** Admin: re-discover now (capacity, health, pools, images); `reprobe` also re-tests KVM/TCG. */
export async function refreshHost(opts: RefreshHostFactsOptions & { principal: Principal; meta?: RequestMeta }): Promise<HostFacts> {
  requireAdmin(opts.principal);
  const facts = await refreshHostFacts(opts);
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.refresh",
    targetType: "host",
    targetId: opts.hostId,
    details: { reprobe: Boolean(opts.reprobe), accelerator: facts.accelerator },
    meta: opts.meta,
  });
  return facts;
}
