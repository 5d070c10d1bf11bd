import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import type { ResidencyPolicy } from "../generated/prisma/enums";
import { GENESIS_HASH } from "./hash";
import { readLocationIntervals, type IntervalQuery, type LocationInterval } from "./intervals";
import { POLICY_LABELS } from "./policy";
import { verifyReportLedger, type ReportIntegrity } from "./run-verification";
import { getOperatorDetails, type OperatorDetails } from "./settings";

// Everything a report says besides its rows, fixed before the first row is read: scope, dates, who
// asked, the operator (processor) and the team (controller), and the ledger head the rows are bounded by.

export const ReportRequestSchema = z.object({
  teamId: z.uuid().optional(),
  asOf: z.date().optional(),
  since: z.date().optional(),
  generatedBy: z.string().min(1).max(200),
});
export type ReportRequest = z.input<typeof ReportRequestSchema>;

interface ReportTeam {
  id: string;
  slug: string;
  name: string;
  policy: ResidencyPolicy;
  policyLabel: string;
  controller: { name: string | null; contact: string | null; processingPurpose: string | null };
}

export interface ReportContext {
  scope: "team" | "platform";
  team: ReportTeam | null;
  asOf: Date;
  since: Date | null;
  generatedAt: Date;
  generatedBy: string;
  ledgerHead: { seq: string; hash: string };
  /** What verification covers ledgerHead, or where the chain is broken. */
  integrity: ReportIntegrity;
  processor: OperatorDetails | null;
  /** Rows of this report, read lazily in batches. */
  intervals(q?: Pick<IntervalQuery, "onlyOpen" | "outsideEeaOnly" | "order">): AsyncGenerator<LocationInterval>;
}

export async function prepareResidencyReport(
  opts: { prisma: PrismaClient; fullVerifyInlineMax?: number } & ReportRequest,
): Promise<ReportContext> {
  const { prisma, fullVerifyInlineMax, ...rest } = opts;
  const parsed = ReportRequestSchema.safeParse(rest);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid report request");
  const req = parsed.data;
  const generatedAt = new Date();
  const asOf = req.asOf ?? generatedAt;
  if (req.since && req.since > asOf)
    throw new AppError("VALIDATION", "The period start must not be after the as-of date", { key: "error.residency.periodOrder" });
  const row = req.teamId ? await prisma.team.findUnique({ where: { id: req.teamId } }) : null;
  if (req.teamId && !row) throw new AppError("NOT_FOUND", "Team not found", { key: "error.team.notFound" });
  const head = await prisma.dataLocation.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const headSeq = head?.seq ?? 0n;
  const team: ReportTeam | null = row && {
    id: row.id,
    slug: row.slug,
    name: row.name,
    policy: row.residencyPolicy,
    policyLabel: POLICY_LABELS[row.residencyPolicy],
    controller: { name: row.controllerName, contact: row.controllerContact, processingPurpose: row.processingPurpose },
  };
  return {
    scope: team ? "team" : "platform",
    team,
    asOf,
    since: req.since ?? null,
    generatedAt,
    generatedBy: req.generatedBy,
    ledgerHead: { seq: headSeq.toString(), hash: head?.hash ?? GENESIS_HASH },
    integrity: await verifyReportLedger({ prisma, headSeq, actor: req.generatedBy, fullVerifyInlineMax }),
    processor: await getOperatorDetails({ prisma }),
    intervals: (q = {}) => readLocationIntervals({ prisma, headSeq, asOf, teamId: team?.id, since: req.since, ...q }),
  };
}
