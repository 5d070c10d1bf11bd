import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { Db } from "../residency/db";
import { DEFAULT_OUTAGE_WAIT_SECONDS, readOutageWaitSeconds } from "./outage-wait";
import { MAX_OUTAGE_WAIT_SECONDS } from "./schemas";

/** Admin: how long jobs wait for an unreachable host, the default and the most it may be. */
export async function getHostOutageWait(opts: {
  prisma: Db;
  principal: Principal;
}): Promise<{ waitSeconds: number; defaultSeconds: number; maxSeconds: number }> {
  requireAdmin(opts.principal);
  return {
    waitSeconds: await readOutageWaitSeconds({ db: opts.prisma }),
    defaultSeconds: DEFAULT_OUTAGE_WAIT_SECONDS,
    maxSeconds: MAX_OUTAGE_WAIT_SECONDS,
  };
}
