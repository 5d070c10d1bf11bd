import { env } from "../core/env";
import { getDatabase } from "../db";

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
}
