import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { findPage, listOrder, mapPage, type Page, type PageRequest } from "../core/pagination";
import type { LatencyTarget, Prisma, PrismaClient } from "../generated/prisma/client";
import { runProbeRound, type ProbeExec, type ProbeRoundResult } from "./round";
import type { LatencyTargetInput, LatencyTargetUpdate } from "./schemas";
import { createLatencyTarget, deleteLatencyTarget, targetMethod, updateLatencyTarget } from "./targets";

// Probe targets as the admin page and the admin API manage them: platform admins only (everyone
// else gets the same 404 as for a page that does not exist), every change in the audit log. Input
// is `unknown` here on purpose: the domain functions validate it with their zod schemas.

interface AdminContext {
  prisma: PrismaClient;
  principal: Principal;
  meta?: RequestMeta;
}

export type LatencyTargetView = Omit<LatencyTarget, "icmp" | "tcp"> & { method: "icmp" | "tcp" | "both" };

function viewLatencyTarget(t: LatencyTarget): LatencyTargetView {
  const { icmp: _i, tcp: _t, ...rest } = t;
  return { ...rest, method: targetMethod(t) };
}

async function audit(opts: { ctx: AdminContext; action: string; targetId: string; details?: Record<string, unknown> }) {
  const { ctx, action, targetId, details } = opts;
  await recordAudit({
    prisma: ctx.prisma,
    ...actorOf(ctx.principal),
    action,
    targetType: "latency-target",
    targetId,
    details,
    meta: ctx.meta,
  });
}

const auditDetails = (t: LatencyTargetView) => ({
  exchange: t.exchange,
  name: t.name,
  address: t.address,
  port: t.port,
  method: t.method,
  enabled: t.enabled,
});

const TARGET_ORDER = listOrder<Prisma.LatencyTargetWhereInput, Prisma.LatencyTargetOrderByWithRelationInput>("latency-targets", [
  { field: "exchange", dir: "asc", kind: "text" },
  { field: "name", dir: "asc", kind: "text" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** How many hosts probe in each round (the online ones). */
export async function countProbingHosts(ctx: AdminContext): Promise<number> {
  requireAdmin(ctx.principal);
  return ctx.prisma.host.count({ where: { status: "ONLINE" } });
}

/** A page of the probe targets, by exchange and name. */
export async function listLatencyTargets(ctx: AdminContext & { page: PageRequest }): Promise<Page<LatencyTargetView>> {
  requireAdmin(ctx.principal);
  const page = await findPage({ order: TARGET_ORDER, page: ctx.page, find: (query) => ctx.prisma.latencyTarget.findMany(query) });
  return mapPage(page, viewLatencyTarget);
}

export async function addLatencyTarget(ctx: AdminContext & { input: unknown }): Promise<LatencyTargetView> {
  requireAdmin(ctx.principal);
  const target = viewLatencyTarget(await createLatencyTarget({ prisma: ctx.prisma, input: ctx.input as LatencyTargetInput }));
  await audit({ ctx, action: "latency.target.create", targetId: target.id, details: auditDetails(target) });
  return target;
}

export async function editLatencyTarget(ctx: AdminContext & { id: string; input: unknown }): Promise<LatencyTargetView> {
  requireAdmin(ctx.principal);
  const target = viewLatencyTarget(await updateLatencyTarget({ prisma: ctx.prisma, id: ctx.id, input: ctx.input as LatencyTargetUpdate }));
  await audit({ ctx, action: "latency.target.update", targetId: target.id, details: auditDetails(target) });
  return target;
}

export async function removeLatencyTarget(ctx: AdminContext & { id: string }): Promise<void> {
  requireAdmin(ctx.principal);
  await deleteLatencyTarget({ prisma: ctx.prisma, id: ctx.id });
  await audit({ ctx, action: "latency.target.delete", targetId: ctx.id });
}

/** "Probe now": every enabled target from every online host, whatever their intervals. */
export async function probeLatencyNow(ctx: AdminContext & { exec: ProbeExec }): Promise<ProbeRoundResult> {
  requireAdmin(ctx.principal);
  const round = await runProbeRound({ prisma: ctx.prisma, exec: ctx.exec, force: true });
  const failed = round.hosts.filter((h) => h.error).length;
  await audit({
    ctx,
    action: "latency.probe",
    targetId: "all",
    details: { targets: round.targets, hosts: round.hosts.length, failedHosts: failed },
  });
  return round;
}
