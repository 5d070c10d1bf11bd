import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";
import { applyMigrations, type SqlRunner } from "./migrate";

export interface Database {
  kind: "postgres" | "embedded";
  prisma: PrismaClient;
  /** Raw SQL for the migrator, benchmarks and tests. */
  sql: SqlRunner;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: "postgres"; url: string; poolSize?: number } | { kind: "embedded"; dataDir?: string }; // no dataDir: in memory

function pgliteRunner(db: PGlite): SqlRunner {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
  };
}

function pgRunner(pool: pg.Pool): SqlRunner {
  return {
    exec: async (sql) => {
      await pool.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
  };
}

/** Opens a database and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // An idle pooled connection that the server closes (restart, failover, DROP DATABASE … FORCE)
    // emits 'error' on the pool; unhandled, that would crash the process. The pool replaces it.
    pool.on("error", (err) => console.warn(`[skjold] idle database connection closed: ${err.message}`));
    // The migrator holds an advisory lock on one connection for its whole run.
    const client = await pool.connect();
    try {
      await applyMigrations({
        exec: async (sql) => void (await client.query(sql)),
        query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
      });
    } finally {
      client.release();
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: "postgres",
      prisma,
      sql: pgRunner(pool),
      close: async () => {
        await prisma.$disconnect();
        await pool.end().catch(() => undefined);
      },
    };
  }
  let lite: PGlite;
  if (target.dataDir) {
    const dir = path.resolve(target.dataDir);
    mkdirSync(path.dirname(dir), { recursive: true });
    lite = new PGlite(dir);
  } else {
    lite = new PGlite();
  }
  await lite.waitReady;
  const sql = pgliteRunner(lite);
  await applyMigrations(sql);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return {
    kind: "embedded",
    prisma,
    sql,
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}
