import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import { fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { OUTAGE_WAIT_SETTING, readOutageWaitSeconds } from "./outage-wait";
import { HostOutageWaitInput } from "./schemas";

/** Admin: sets how long jobs wait for an unreachable host (0 to a day). Jobs already waiting use it at their next try. */
export async function setHostOutageWait(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
}): Promise<{ waitSeconds: number }> {
  requireAdmin(opts.principal);
  const parsed = HostOutageWaitInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Host outage wait");
  const value = parsed.data.waitSeconds;
  await opts.prisma.$transaction(async (tx) => {
    const before = await readOutageWaitSeconds({ db: tx });
    await tx.setting.upsert({ where: { key: OUTAGE_WAIT_SETTING }, create: { key: OUTAGE_WAIT_SETTING, value }, update: { value } });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "host.outage-wait",
      targetType: "setting",
      targetId: OUTAGE_WAIT_SETTING,
      details: { before, after: value },
      meta: opts.meta,
    });
  });
  return { waitSeconds: value };
}
