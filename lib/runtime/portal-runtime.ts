import { env } from "../core/env";
import { getDatabase } from "../db";
import { jobRegistry, listSchedules } from "./registry";
import { startWorker } from "../jobs/worker";

// What the portal process starts besides serving pages. The job worker and schedules join here
// as they land (lib/jobs); on the embedded database they must run in this process.
const KEY = Symbol.for("skjold.runtime");

export async function startPortalRuntime(): Promise<void> {
  const g = globalThis as { [KEY]?: boolean };
  if (g[KEY]) return;
  g[KEY] = true;
  const e = env(); // fails fast, naming the variable, when the environment is wrong
  const db = await getDatabase();
  console.log(`[skjold] database ready (${db.kind}${db.kind === "embedded" ? `, ${e.SKJOLD_DATA_DIR}/pglite` : ""})`);
  // The inline worker runs provisioning in this process unless SKJOLD_INLINE_WORKER=0 (then run
  // scripts/worker.ts beside it, on PostgreSQL only: PGlite is single-process).
  if (e.SKJOLD_INLINE_WORKER !== "0") {
    const worker = startWorker({ prisma: db.prisma, registry: jobRegistry, schedules: listSchedules(), pollMs: 500 });
    console.log(`[skjold] inline job worker ${worker.workerId} running ${jobRegistry.kinds().join(", ")}`);
  }
}
