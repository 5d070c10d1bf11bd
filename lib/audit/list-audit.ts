import { z } from "zod";
import { fromZod } from "../core/errors";
import { findPage, listOrder, type PageRequest } from "../core/pagination";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

const AuditFilter = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z0-9_.]*$/, "use letters, digits, dots and underscores")
    .optional(),
  actor: z.string().max(254).optional(),
  teamId: z.uuid().optional(),
});

const AUDIT_ORDER = listOrder<Prisma.AuditEventWhereInput, Prisma.AuditEventOrderByWithRelationInput>("audit", [
  { field: "id", dir: "desc", kind: "bigint" },
]);

/** A page of the audit log, newest first (the id is the order events were written in), filtered. */
export async function listAuditEvents(opts: { prisma: PrismaClient; filter: unknown; page: PageRequest }) {
  const parsed = AuditFilter.safeParse(opts.filter);
  if (!parsed.success) throw fromZod(parsed.error, "Audit filter");
  const f = parsed.data;
  return findPage({
    order: AUDIT_ORDER,
    page: opts.page,
    where: {
      ...(f.action ? { action: { startsWith: f.action } } : {}),
      ...(f.actor ? { actorLabel: { contains: f.actor, mode: "insensitive" } } : {}),
      ...(f.teamId ? { teamId: f.teamId } : {}),
    },
    find: (query) => opts.prisma.auditEvent.findMany(query),
  });
}
