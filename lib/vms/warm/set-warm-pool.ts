import type { Principal, RequestMeta } from "../../access/principal";
import { requireAdmin } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { AppError, fromZod } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { SetWarmPoolInput } from "./schemas";

/**
 * Admin: how many warm guests to keep ready for a region, plan and image (0 turns the pool off; the
 * refill adds guests up to it, and ready guests beyond it are discarded by nothing but orders taking
 * them or an admin deleting them). Audited.
 */
export async function setWarmPool(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
}): Promise<{ id: string; region: string; plan: string; image: string; size: number }> {
  requireAdmin(opts.principal);
  const parsed = SetWarmPoolInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Warm pool");
  const input = parsed.data;
  const [region, plan, image] = await Promise.all([
    opts.prisma.region.findUnique({ where: { code: input.region } }),
    opts.prisma.plan.findUnique({ where: { code: input.plan } }),
    opts.prisma.image.findUnique({ where: { slug: input.image } }),
  ]);
  if (!region)
    throw new AppError("VALIDATION", `Warm pool: region: no region ${input.region}`, {
      key: "error.warmPool.noRegion",
      params: { code: input.region },
    });
  if (!plan)
    throw new AppError("VALIDATION", `Warm pool: plan: no plan ${input.plan}`, {
      key: "error.warmPool.noPlan",
      params: { code: input.plan },
    });
  if (!image)
    throw new AppError("VALIDATION", `Warm pool: image: no image ${input.image}`, {
      key: "error.warmPool.noImage",
      params: { slug: input.image },
    });
  return opts.prisma.$transaction(async (tx) => {
    const key = { regionId: region.id, planId: plan.id, imageId: image.id };
    const before = await tx.warmPool.findUnique({ where: { regionId_planId_imageId: key }, select: { size: true } });
    const pool = await tx.warmPool.upsert({
      where: { regionId_planId_imageId: key },
      create: { ...key, size: input.size },
      update: { size: input.size },
    });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "warm-pool.set",
      targetType: "warm-pool",
      targetId: pool.id,
      details: { region: region.code, plan: plan.code, image: image.slug, before: before?.size ?? 0, after: input.size },
      meta: opts.meta,
    });
    return { id: pool.id, region: region.code, plan: plan.code, image: image.slug, size: pool.size };
  });
}
