import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/connect";

// Integration tests run against both databases Skjold supports: the embedded PGlite (in memory, a
// new one per file) and the PostgreSQL server at 127.0.0.1:5432 (a new database per file, dropped
// after). `describe.each(DB_KINDS)` runs a suite on both.

export const DB_KINDS = ["embedded", "postgres"] as const;
export type DbKind = (typeof DB_KINDS)[number];

export const PG_ADMIN_URL = process.env.SKJOLD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** `url`: PostgreSQL only, for a second client of the same database (as a second portal would open). */
export async function freshDatabase(kind: DbKind): Promise<Database & { url?: string }> {
  if (kind === "embedded") return openDatabase({ kind: "embedded" });
  const name = `skjold_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5 });
  return {
    ...db,
    url: url.toString(),
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
