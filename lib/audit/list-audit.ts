import { z } from "zod";
import { fromZod } from "../core/errors";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

const AuditFilter = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z0-9_.]*$/, "use letters, digits, dots and underscores")
    .optional(),
  actor: z.string().max(254).optional(),
  teamId: z.uuid().optional(),
  before: z.coerce.bigint().positive().optional(), // keyset cursor: events with id < before
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Newest first, keyset-paginated so page 1,000 costs what page 1 does. */
export async function listAuditEvents(opts: { prisma: PrismaClient; filter: unknown }) {
  const parsed = AuditFilter.safeParse(opts.filter);
  if (!parsed.success) throw fromZod(parsed.error, "Audit filter");
  const f = parsed.data;
  const where: Prisma.AuditEventWhereInput = {
    ...(f.action ? { action: { startsWith: f.action } } : {}),
    ...(f.actor ? { actorLabel: { contains: f.actor, mode: "insensitive" } } : {}),
    ...(f.teamId ? { teamId: f.teamId } : {}),
    ...(f.before ? { id: { lt: f.before } } : {}),
  };
  const rows = await opts.prisma.auditEvent.findMany({ where, orderBy: { id: "desc" }, take: f.limit + 1 });
  const page = rows.slice(0, f.limit);
  return { events: page, nextBefore: rows.length > f.limit ? page[page.length - 1]!.id.toString() : null };
}
