import type { LatencyTarget, PrismaClient } from "../generated/prisma/client";

// A target is due when its newest sample is at least (interval − 10 %) old, so a scheduler that
// ticks a little early or late still probes each target about once per interval.

export function isTargetDue(opts: { intervalSec: number; lastAt: Date | null; now: Date }): boolean {
  if (!opts.lastAt) return true;
  return opts.now.getTime() - opts.lastAt.getTime() >= opts.intervalSec * 900;
}

export async function dueTargets(opts: { prisma: PrismaClient; now: Date; force: boolean }): Promise<LatencyTarget[]> {
  const targets = await opts.prisma.latencyTarget.findMany({ where: { enabled: true }, orderBy: [{ exchange: "asc" }, { name: "asc" }] });
  if (opts.force || targets.length === 0) return targets;
  const latest = await opts.prisma.latencySample.groupBy({
    by: ["targetId"],
    where: { targetId: { in: targets.map((t) => t.id) } },
    _max: { at: true },
  });
  const lastAt = new Map(latest.map((l) => [l.targetId, l._max.at]));
  return targets.filter((t) => isTargetDue({ intervalSec: t.intervalSec, lastAt: lastAt.get(t.id) ?? null, now: opts.now }));
}
