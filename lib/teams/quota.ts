import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { intIn } from "../core/validation";
import type { PrismaClient } from "../generated/prisma/client";

const TeamQuotaInput = z.object({
  maxVms: intIn(0, 10_000),
  maxVcpus: intIn(0, 100_000),
  maxMemoryMb: intIn(0, 100_000_000),
  maxDiskGb: intIn(0, 10_000_000),
});

/** Platform admins set a team's quota; orders check it in the same transaction that reserves. */
export async function setTeamQuota(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}) {
  requireAdmin(opts.principal);
  const p = TeamQuotaInput.safeParse(opts.input);
  if (!p.success) throw fromZod(p.error, "Quota");
  const team = await opts.prisma.team.findUnique({ where: { slug: opts.teamSlug } });
  if (!team) throw new AppError("NOT_FOUND", "Team not found", { key: "error.team.notFound" });
  const updated = await opts.prisma.team.update({ where: { id: team.id }, data: p.data });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "team.quota",
    teamId: team.id,
    targetType: "team",
    targetId: team.id,
    details: {
      from: { maxVms: team.maxVms, maxVcpus: team.maxVcpus, maxMemoryMb: team.maxMemoryMb, maxDiskGb: team.maxDiskGb },
      to: p.data,
    },
    meta: opts.meta,
  });
  return updated;
}
