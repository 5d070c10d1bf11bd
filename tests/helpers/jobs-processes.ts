import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { PG_ADMIN_URL } from "./db";

// Worker child processes and a PostgreSQL database they can all reach by URL.

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `skjold_jobs_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface WorkerChild {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** A worker child process; `script` picks its job registry (default: the engine tests' jobs). */
export function spawnWorkerChild(opts: { url: string; workerId: string; env?: Record<string, string>; script?: string }): WorkerChild {
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, opts.script ?? "tests/helpers/jobs-worker-child.ts")], {
    cwd: root,
    env: { ...process.env, JOBS_TEST_DB_URL: opts.url, JOBS_TEST_WORKER: opts.workerId, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", () => reject(new Error(`worker ${opts.workerId} exited before it was ready:\n${err}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, exited, stdout: () => out, stderr: () => err };
}
