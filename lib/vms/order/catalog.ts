import { AppError } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import type { OrderVmInput } from "./schemas";

// The catalogue rows an order names, each checked to exist and be orderable. A missing one is a
// validation error on that field, worded for the person who filled in the form.

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION", `Order: ${field}: ${message}`, { details: [{ path: field, message }] });
}

export async function resolveOrderCatalog(opts: { prisma: PrismaClient; input: OrderVmInput; userId: string }) {
  const { prisma, input } = opts;
  const [region, plan, image, sshKey] = await Promise.all([
    prisma.region.findUnique({ where: { code: input.regionCode } }),
    prisma.plan.findUnique({ where: { code: input.planCode } }),
    prisma.image.findUnique({ where: { slug: input.imageSlug } }),
    prisma.sshKey.findUnique({ where: { id: input.sshKeyId } }),
  ]);
  if (!region?.active) throw invalid("regionCode", `there is no region "${input.regionCode}" to order in`);
  if (!plan?.active) throw invalid("planCode", `there is no plan "${input.planCode}"`);
  if (!image?.active) throw invalid("imageSlug", `there is no image "${input.imageSlug}"`);
  // Someone else's key answers exactly like a key that does not exist.
  if (!sshKey || sshKey.userId !== opts.userId) throw invalid("sshKeyId", "no such SSH key on your profile");
  return { region, plan, image, sshKey };
}
