import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import { ResourceKind } from "../generated/prisma/enums";
import type { DataLocationModel } from "../generated/prisma/models";
import { appendEntries } from "./append";
import { inTransaction, type Db } from "./db";

// Recording where a tenant's data lives, as it happens. The caller names the region by code; its
// country and jurisdiction are copied from the Region row at that moment, so a later edit of the
// region cannot rewrite history.

const LedgerText = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

const DataLocationInputSchema = z.object({
  teamId: z.uuid().nullish(),
  resourceKind: z.enum(ResourceKind),
  resourceId: LedgerText,
  resourceName: LedgerText,
  regionCode: LedgerText,
  hostName: LedgerText.nullish(),
  poolName: LedgerText.nullish(),
  path: LedgerText.nullish(),
  effectiveAt: z.date().optional(),
  actor: LedgerText.nullish(),
});

export type DataLocationInput = z.input<typeof DataLocationInputSchema>;

export async function recordDataLocation(opts: { prisma: Db } & DataLocationInput): Promise<DataLocationModel> {
  const { prisma, ...rest } = opts;
  const parsed = DataLocationInputSchema.safeParse(rest);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid data location");
  const input = parsed.data;
  return inTransaction(prisma, async (tx) => {
    const region = await tx.region.findUnique({ where: { code: input.regionCode } });
    if (!region)
      throw new AppError("NOT_FOUND", `Region ${input.regionCode} does not exist`, {
        key: "error.region.doesNotExist",
        params: { regionCode: input.regionCode },
      });
    const team = input.teamId ? await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true, slug: true } }) : null;
    if (input.teamId && !team) throw new AppError("NOT_FOUND", `Team ${input.teamId} does not exist`);
    const [row] = await appendEntries(tx, [
      {
        teamId: team?.id ?? null,
        teamSlug: team?.slug ?? null,
        resourceKind: input.resourceKind,
        resourceId: input.resourceId,
        resourceName: input.resourceName,
        action: "OPEN",
        hostName: input.hostName ?? null,
        poolName: input.poolName ?? null,
        path: input.path ?? null,
        regionCode: region.code,
        country: region.country,
        jurisdiction: region.jurisdiction,
        effectiveAt: input.effectiveAt ?? new Date(),
        actor: input.actor ?? null,
      },
    ]);
    return row!;
  });
}
