import { z } from "zod";
import type { Db } from "../residency/db";
import { MAX_OUTAGE_WAIT_SECONDS } from "./schemas";

// How long a job waits for a host it cannot reach (a host being restarted, an sshd reloaded) before
// it fails and rolls back, counted from the job's first failed contact. A platform setting an admin
// edits; 0 turns waiting off (every failed contact then spends one of the job's few attempts).

export const OUTAGE_WAIT_SETTING = "hosts.outageWaitSeconds";
export const DEFAULT_OUTAGE_WAIT_SECONDS = 900;

const Stored = z.number().int().min(0).max(MAX_OUTAGE_WAIT_SECONDS);

export async function readOutageWaitSeconds(opts: { db: Db }): Promise<number> {
  const row = await opts.db.setting.findUnique({ where: { key: OUTAGE_WAIT_SETTING } });
  const parsed = Stored.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_OUTAGE_WAIT_SECONDS;
}
