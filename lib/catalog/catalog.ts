import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { findPage, listOrder, type PageRequest } from "../core/pagination";
import { intIn, safeText } from "../core/validation";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

const code = z
  .string()
  .max(16)
  .regex(/^[a-z][a-z0-9-]{1,15}$/, "use 2–16 lowercase letters, digits and dashes, starting with a letter");

export const RegionInput = z.object({
  code,
  name: safeText(60),
  city: safeText(60),
  country: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code"),
  jurisdiction: z.enum(["NO_EEA", "EU", "EEA_OTHER", "THIRD_COUNTRY"]),
  datacenter: safeText(80).optional(),
});

export const PlanInput = z.object({
  code,
  name: safeText(60),
  vcpus: intIn(1, 128),
  memoryMb: intIn(256, 1_048_576),
  diskGb: intIn(5, 65_536),
  priceNokMonthly: intIn(0, 1_000_000).default(0),
});

// By country code from Z to A, then by name: the order the region pages have always shown.
const REGION_ORDER = listOrder<Prisma.RegionWhereInput, Prisma.RegionOrderByWithRelationInput>("regions", [
  { field: "country", dir: "desc", kind: "text" },
  { field: "name", dir: "asc", kind: "text" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the regions (only active ones if `activeOnly`), by country code descending, then name. */
export async function listRegions(opts: { prisma: PrismaClient; activeOnly?: boolean; page: PageRequest }) {
  return findPage({
    order: REGION_ORDER,
    page: opts.page,
    where: opts.activeOnly ? { active: true } : {},
    find: (query) => opts.prisma.region.findMany(query),
  });
}

const PLAN_ORDER = listOrder<Prisma.PlanWhereInput, Prisma.PlanOrderByWithRelationInput>("plans", [
  { field: "vcpus", dir: "asc", kind: "int" },
  { field: "memoryMb", dir: "asc", kind: "int" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the plans (only active ones if `activeOnly`), smallest first. */
export async function listPlans(opts: { prisma: PrismaClient; activeOnly?: boolean; page: PageRequest }) {
  return findPage({
    order: PLAN_ORDER,
    page: opts.page,
    where: opts.activeOnly ? { active: true } : {},
    find: (query) => opts.prisma.plan.findMany(query),
  });
}

export async function createRegion(opts: { prisma: PrismaClient; principal: Principal; input: unknown; meta?: RequestMeta }) {
  requireAdmin(opts.principal);
  const p = RegionInput.safeParse(opts.input);
  if (!p.success) throw fromZod(p.error, "Region");
  if (await opts.prisma.region.findUnique({ where: { code: p.data.code } }))
    throw new AppError("CONFLICT", `Region ${p.data.code} already exists.`, { key: "error.region.exists", params: { code: p.data.code } });
  const region = await opts.prisma.region.create({ data: p.data });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "region.create",
    targetType: "region",
    targetId: region.id,
    details: p.data,
    meta: opts.meta,
  });
  return region;
}

export async function setRegionActive(opts: {
  prisma: PrismaClient;
  principal: Principal;
  code: string;
  active: boolean;
  meta?: RequestMeta;
}) {
  requireAdmin(opts.principal);
  const r = await opts.prisma.region.updateMany({ where: { code: opts.code }, data: { active: opts.active } });
  if (r.count !== 1) throw new AppError("NOT_FOUND", "Region not found", { key: "error.region.notFound" });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: opts.active ? "region.activate" : "region.deactivate",
    targetType: "region",
    targetId: opts.code,
    meta: opts.meta,
  });
}

export async function createPlan(opts: { prisma: PrismaClient; principal: Principal; input: unknown; meta?: RequestMeta }) {
  requireAdmin(opts.principal);
  const p = PlanInput.safeParse(opts.input);
  if (!p.success) throw fromZod(p.error, "Plan");
  if (await opts.prisma.plan.findUnique({ where: { code: p.data.code } }))
    throw new AppError("CONFLICT", `Plan ${p.data.code} already exists.`, { key: "error.plan.exists", params: { code: p.data.code } });
  const plan = await opts.prisma.plan.create({ data: p.data });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "plan.create",
    targetType: "plan",
    targetId: plan.id,
    details: p.data,
    meta: opts.meta,
  });
  return plan;
}

export async function setPlanActive(opts: {
  prisma: PrismaClient;
  principal: Principal;
  code: string;
  active: boolean;
  meta?: RequestMeta;
}) {
  requireAdmin(opts.principal);
  const r = await opts.prisma.plan.updateMany({ where: { code: opts.code }, data: { active: opts.active } });
  if (r.count !== 1) throw new AppError("NOT_FOUND", "Plan not found", { key: "error.plan.notFound" });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: opts.active ? "plan.activate" : "plan.deactivate",
    targetType: "plan",
    targetId: opts.code,
    meta: opts.meta,
  });
}
