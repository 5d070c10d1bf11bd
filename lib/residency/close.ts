import { z } from "zod";
import { fromZod } from "../core/errors";
import { ResourceKind } from "../generated/prisma/enums";
import type { DataLocationModel } from "../generated/prisma/models";
import { appendEntries, lockLedger } from "./append";
import { inTransaction, type Db } from "./db";
import { openEntries } from "./open-entries";

const CloseInputSchema = z.object({
  resourceId: z.string().min(1).max(512),
  resourceKinds: z.array(z.enum(ResourceKind)).optional(),
  at: z.date().optional(),
  actor: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[^\u0000-\u001f\u007f]*$/)
    .nullish(),
});

/**
 * Ends every open location of a resource (optionally only some kinds, e.g. a deleted backup) with a
 * CLOSE row that repeats the location it ends. Nothing is rewritten. Returns the CLOSE rows.
 */
export async function closeDataLocations(opts: { prisma: Db } & z.input<typeof CloseInputSchema>): Promise<DataLocationModel[]> {
  const { prisma, ...rest } = opts;
  const parsed = CloseInputSchema.safeParse(rest);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid close request");
  const { resourceId, resourceKinds, at, actor } = parsed.data;
  return inTransaction(prisma, async (tx) => {
    // Lock before reading, so a concurrent close of the same resource cannot close it twice.
    await lockLedger(tx);
    const entries = await tx.dataLocation.findMany({
      where: { resourceId, ...(resourceKinds ? { resourceKind: { in: resourceKinds } } : {}) },
      orderBy: { seq: "asc" },
    });
    const effectiveAt = at ?? new Date();
    return appendEntries(
      tx,
      openEntries(entries).map((e) => ({
        teamId: e.teamId,
        teamSlug: e.teamSlug,
        resourceKind: e.resourceKind,
        resourceId: e.resourceId,
        resourceName: e.resourceName,
        action: "CLOSE" as const,
        hostName: e.hostName,
        poolName: e.poolName,
        path: e.path,
        regionCode: e.regionCode,
        country: e.country,
        jurisdiction: e.jurisdiction,
        effectiveAt,
        actor: actor ?? null,
      })),
    );
  });
}
