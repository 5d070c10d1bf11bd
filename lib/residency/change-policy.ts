import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { RequestMeta } from "../access/principal";
import { AppError, fromZod } from "../core/errors";
import { listText, nestedText } from "../core/error-text";
import type { PrismaClient } from "../generated/prisma/client";
import { ResidencyPolicy, type Jurisdiction } from "../generated/prisma/enums";
import { readLedgerHead } from "./append";
import { readLocationIntervals } from "./intervals";
import { isJurisdictionAllowed, POLICY_LABELS } from "./policy";

const ChangePolicySchema = z.object({
  teamId: z.uuid(),
  policy: z.enum(ResidencyPolicy),
  actor: z.object({ label: z.string().min(1).max(256), userId: z.uuid().nullish(), tokenId: z.uuid().nullish() }),
});

export interface PolicyViolation {
  type: "vm" | "cluster" | "data";
  id: string;
  name: string;
  regionCode: string;
  jurisdiction: Jurisdiction;
}

const END_OF_TIME = new Date("9999-12-31T23:59:59.999Z");

/**
 * Sets a team's residency policy, unless something the team has now (a VM, a cluster, data the
 * ledger shows as still held) lies outside the new policy: then nothing changes and the error lists
 * those resources. The team row is locked so an order cannot slip in between check and change.
 */
export async function changeResidencyPolicy(
  opts: { prisma: PrismaClient; meta?: RequestMeta } & z.input<typeof ChangePolicySchema>,
): Promise<{ policy: ResidencyPolicy; changed: boolean }> {
  const { prisma, meta, ...rest } = opts;
  const parsed = ChangePolicySchema.safeParse(rest);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid residency policy change");
  const { teamId, policy, actor } = parsed.data;
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ policy: ResidencyPolicy }[]>`
      SELECT "residencyPolicy"::text AS policy FROM "Team" WHERE id = ${teamId}::uuid FOR UPDATE`;
    const current = locked[0]?.policy;
    if (!current) throw new AppError("NOT_FOUND", "Team not found", { key: "error.team.notFound" });
    if (current === policy) return { policy, changed: false };

    const live = { teamId, state: { not: "DELETED" as const } };
    // One after the other: a transaction is one connection, and pg queues (and deprecates) overlapping queries on it.
    const vms = await tx.virtualMachine.findMany({ where: live, select: { id: true, name: true, region: true } });
    const clusters = await tx.cluster.findMany({ where: live, select: { id: true, name: true, region: true } });
    const violations: PolicyViolation[] = [
      ...vms.map((v) => ({ type: "vm" as const, id: v.id, name: v.name, regionCode: v.region.code, jurisdiction: v.region.jurisdiction })),
      ...clusters.map((c) => ({
        type: "cluster" as const,
        id: c.id,
        name: c.name,
        regionCode: c.region.code,
        jurisdiction: c.region.jurisdiction,
      })),
    ].filter((v) => !isJurisdictionAllowed(policy, v.jurisdiction));
    const listed = new Set(violations.map((v) => `${v.id}/${v.regionCode}`));
    const head = await readLedgerHead(tx);
    for await (const i of readLocationIntervals({ prisma: tx, headSeq: head.seq, asOf: END_OF_TIME, teamId, onlyOpen: true })) {
      if (isJurisdictionAllowed(policy, i.jurisdiction) || listed.has(`${i.resourceId}/${i.regionCode}`)) continue;
      listed.add(`${i.resourceId}/${i.regionCode}`);
      violations.push({
        type: "data",
        id: i.resourceId,
        name: `${i.resourceName} (${i.resourceKind})`,
        regionCode: i.regionCode,
        jurisdiction: i.jurisdiction,
      });
    }
    if (violations.length > 0) {
      const resources = listText(
        violations
          .slice(0, 10)
          .map((v) => nestedText("error.residency.resourceIn", { name: v.name, regionCode: v.regionCode, jurisdiction: v.jurisdiction })),
        Math.max(0, violations.length - 10),
      );
      const params = { policy, count: violations.length, resources };
      throw new AppError(
        "POLICY_VIOLATION",
        `Cannot change the residency policy to "${POLICY_LABELS[policy]}": ${violations.length} resource(s) are outside it: ${resources.message}. Move or delete them first.`,
        { key: "error.residency.policyChangeRefused", params, details: { policy, current, violations } },
      );
    }
    await tx.team.update({ where: { id: teamId }, data: { residencyPolicy: policy } });
    await recordAudit({
      prisma: tx,
      action: "team.residency_policy.change",
      actorLabel: actor.label,
      actorUserId: actor.userId ?? null,
      actorTokenId: actor.tokenId ?? null,
      teamId,
      targetType: "team",
      targetId: teamId,
      details: { from: current, to: policy },
      meta,
    });
    return { policy, changed: true };
  });
}
