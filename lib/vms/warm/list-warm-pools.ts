import type { Principal } from "../../access/principal";
import { requireAdmin } from "../../access/team-access";
import type { PrismaClient } from "../../generated/prisma/client";
import { readWarmPoolHealth, type WarmPoolHealth } from "./pool-health";
import { WARM_GUEST } from "./refill-warm-pools";

export interface WarmPoolView {
  id: string;
  region: string;
  plan: string;
  image: string;
  size: number;
  ready: number;
  warming: number;
  failed: number;
  /** orders served from this pool */
  served: number;
  /** median and last seconds from the order to SSH-ready of those orders (null before the first) */
  medianServedSeconds: number | null;
  lastServedSeconds: number | null;
  /** warm boots failed in a row (0: healthy), the last one's error, and when the refill tries again (null: now) */
  failing: { failures: number; lastError: string | null; retryAt: string | null } | null;
}

/** How many last orders served warm the median is taken over. */
const RECENT = 50;

/** Admin: every warm pool with its guests by state and how fast orders were served from it. */
export async function listWarmPools(opts: { prisma: PrismaClient; principal: Principal }): Promise<WarmPoolView[]> {
  requireAdmin(opts.principal);
  const { prisma } = opts;
  const pools = await prisma.warmPool.findMany({
    include: { region: { select: { code: true } }, plan: { select: { code: true } }, image: { select: { slug: true } } },
    orderBy: { createdAt: "asc" },
  });
  const counts = await prisma.virtualMachine.groupBy({ by: ["warmPoolId", "state"], where: WARM_GUEST, _count: { _all: true } });
  const health = await readWarmPoolHealth({ prisma, pools });
  const out: WarmPoolView[] = [];
  for (const p of pools) {
    const n = (states: string[]) =>
      counts.filter((c) => c.warmPoolId === p.id && states.includes(c.state)).reduce((a, c) => a + c._count._all, 0);
    const served = await prisma.virtualMachine.count({ where: { warmPoolId: p.id, warmClaimedAt: { not: null } } });
    const recent = await prisma.virtualMachine.findMany({
      where: { warmPoolId: p.id, warmClaimedAt: { not: null }, readyAt: { not: null } },
      orderBy: { warmClaimedAt: "desc" },
      take: RECENT,
      select: { warmClaimedAt: true, readyAt: true },
    });
    const seconds = recent.map((v) => (v.readyAt!.getTime() - v.warmClaimedAt!.getTime()) / 1000);
    out.push({
      id: p.id,
      region: p.region.code,
      plan: p.plan.code,
      image: p.image.slug,
      size: p.size,
      ready: n(["RUNNING"]),
      warming: n(["PENDING", "PROVISIONING"]),
      failed: n(["FAILED"]),
      served,
      medianServedSeconds: median(seconds),
      lastServedSeconds: seconds[0] ?? null,
      failing: failingOf(health.get(p.id)),
    });
  }
  return out;
}

function failingOf(h: WarmPoolHealth | undefined): WarmPoolView["failing"] {
  if (!h || h.failures === 0) return null;
  return { failures: h.failures, lastError: h.lastError, retryAt: h.retryAt?.toISOString() ?? null };
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
