import path from "node:path";
import { env } from "../core/env";
import { openDatabase, type Database } from "./connect";
import { seedDatabase } from "./seed";

export type { Database } from "./connect";
export type { PrismaClient } from "../generated/prisma/client";

// The one database of this process. Next.js may load this module in several bundles (instrumentation,
// route handlers), so the handle lives on globalThis: an embedded database must be opened only once.
const KEY = Symbol.for("skjold.database");
type Holder = { [KEY]?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const e = env();
    const db = e.DATABASE_URL
      ? await openDatabase({ kind: "postgres", url: e.DATABASE_URL })
      : await openDatabase({ kind: "embedded", dataDir: path.join(e.SKJOLD_DATA_DIR, "pglite") });
    await seedDatabase(db.prisma, { log: (line) => console.log(line) });
    return db;
  })();
  holder[KEY].catch(() => {
    delete holder[KEY];
  });
  return holder[KEY];
}

export async function getPrisma() {
  return (await getDatabase()).prisma;
}
