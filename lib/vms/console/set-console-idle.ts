import type { Principal, RequestMeta } from "../../access/principal";
import { requireAdmin } from "../../access/team-access";
import { actorOf, recordAudit } from "../../audit/record-audit";
import { fromZod } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";
import { CONSOLE_IDLE_SETTING, readConsoleIdleMinutes } from "./idle-setting";
import { ConsoleIdleInput } from "./schemas";

/** Admin: sets the console sessions' idle limit (1 minute to a day). Sessions opened from now on use it. */
export async function setConsoleIdle(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
}): Promise<{ idleMinutes: number }> {
  requireAdmin(opts.principal);
  const parsed = ConsoleIdleInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Console idle limit");
  const value = parsed.data.idleMinutes;
  await opts.prisma.$transaction(async (tx) => {
    const before = await readConsoleIdleMinutes({ prisma: tx });
    await tx.setting.upsert({ where: { key: CONSOLE_IDLE_SETTING }, create: { key: CONSOLE_IDLE_SETTING, value }, update: { value } });
    await recordAudit({
      prisma: tx,
      ...actorOf(opts.principal),
      action: "console.idle-limit",
      targetType: "setting",
      targetId: CONSOLE_IDLE_SETTING,
      details: { before, after: value },
      meta: opts.meta,
    });
  });
  return { idleMinutes: value };
}
