import { z } from "zod";
import type { Db } from "../residency/db";
import { MAX_QUARANTINE_SECONDS } from "./pool-input";

// How long a released address rests before it is handed out again, so that the next tenant does
// not receive traffic, reputation or abuse reports meant for the last one. An admin sets it.

export const QUARANTINE_SETTING = "network.quarantineSeconds";
const DEFAULT_QUARANTINE_SECONDS = 86_400;

const Stored = z.number().int().min(0).max(MAX_QUARANTINE_SECONDS);

export async function readQuarantineSeconds(opts: { db: Db }): Promise<number> {
  const row = await opts.db.setting.findUnique({ where: { key: QUARANTINE_SETTING } });
  const parsed = Stored.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_QUARANTINE_SECONDS;
}
