import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "@/lib/db/migrate";
import { PG_ADMIN_URL } from "../helpers/db";

// scripts/migrate.ts is the one-shot migrator the compose `migrate` service and the Kubernetes Job
// run. It runs here as those do, as a process, against a new database on the local PostgreSQL.

const ROOT = path.resolve(import.meta.dirname, "../..");
const name = `skjold_t_migrate_${randomBytes(5).toString("hex")}`;
const url = new URL(PG_ADMIN_URL);
url.pathname = `/${name}`;

function migrate(databaseUrl: string | undefined): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl };
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { cwd: ROOT, env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(() => admin((c) => c.query(`CREATE DATABASE ${name}`)));
afterAll(() => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));

describe("scripts/migrate.ts", () => {
  // Two runs of the migrate script in a child process (tsx start-up each): seconds on a busy machine.
  it("applies every migration to an empty database, then finds nothing to do", { timeout: 60_000 }, async () => {
    const first = await migrate(url.toString());
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(`applied ${readMigrations().length}`);
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const rows = (await c.query(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`)).rows;
    await c.end();
    expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
    const second = await migrate(url.toString());
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch("already up to date");
  });

  it("fails without printing the password when the database cannot be reached", { timeout: 60_000 }, async () => {
    const r = await migrate("postgresql://skjold:hunter2-not-logged@127.0.0.1:1/skjold");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\[migrate\] failed/);
    expect(r.out).not.toMatch("hunter2");
  });

  it("refuses to run without DATABASE_URL", async () => {
    const r = await migrate(undefined);
    expect(r.code).toBe(1);
    expect(r.out).toMatch("DATABASE_URL is not set");
  });
});
