import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { Db } from "../residency/db";
import { MAX_QUARANTINE_SECONDS } from "./pool-input";
import { readQuarantineSeconds } from "./quarantine";

/** Admin: how long a released address rests before it is handed out again, and the most it may be. */
export async function getQuarantine(opts: {
  prisma: Db;
  principal: Principal;
}): Promise<{ quarantineSeconds: number; maxSeconds: number }> {
  requireAdmin(opts.principal);
  return { quarantineSeconds: await readQuarantineSeconds({ db: opts.prisma }), maxSeconds: MAX_QUARANTINE_SECONDS };
}
