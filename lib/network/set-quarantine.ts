import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { QuarantineInput } from "./pool-input";
import { QUARANTINE_SETTING, readQuarantineSeconds } from "./quarantine";

/** Admin: sets the quarantine (0 to 90 days). Addresses already resting keep the end they were given. */
export async function setQuarantineSeconds(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
}): Promise<{ quarantineSeconds: number }> {
  requireAdmin(opts.principal);
  const parsed = QuarantineInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Quarantine");
  const value = parsed.data.quarantineSeconds;
  await opts.prisma.$transaction(async (tx) => {
    const before = await readQuarantineSeconds({ db: tx });
    await tx.setting.upsert({ where: { key: QUARANTINE_SETTING }, create: { key: QUARANTINE_SETTING, value }, update: { value } });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "network.quarantine",
      targetType: "setting",
      targetId: QUARANTINE_SETTING,
      details: { before, after: value },
      meta: opts.meta,
    });
  });
  return { quarantineSeconds: value };
}
