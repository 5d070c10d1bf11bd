import { z } from "zod";
import type { PrismaClient } from "../../generated/prisma/client";

// How long a console session may go without a keystroke before it ends: a platform setting the
// admin edits (Admin → Hosts), 15 minutes unless set.

export const CONSOLE_IDLE_SETTING = "console.idleMinutes";
export const DEFAULT_CONSOLE_IDLE_MINUTES = 15;

const Stored = z.number().int().min(1).max(1440);

export async function readConsoleIdleMinutes(opts: { prisma: Pick<PrismaClient, "setting"> }): Promise<number> {
  const row = await opts.prisma.setting.findUnique({ where: { key: CONSOLE_IDLE_SETTING } });
  const parsed = Stored.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_CONSOLE_IDLE_MINUTES;
}
