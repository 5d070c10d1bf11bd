import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { PG_ADMIN_URL } from "@/tests/helpers/db";
import { freeLoopbackPort } from "@/tests/helpers/lab";
import { onboardNetLab } from "@/tests/helpers/net-lab";
import { onboardLabHost } from "@/tests/helpers/provision-lab";

// A portal of its own for the ordering spec: PostgreSQL (a fresh database) instead of the shared
// embedded one, so that this process can onboard the lab host into it before the portal starts and
// a separate worker process can run the provisioning jobs beside the portal, as in production.

const root = path.resolve(import.meta.dirname, "../..");

export interface OrderPortal {
  baseUrl: string;
  db: Database;
  adminEmail: string;
  adminPassword: string;
  hostName: string;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`portal exited with ${child.exitCode} before answering`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`portal did not answer ${url}/api/health within ${ms} ms`);
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(sql);
  await admin.end();
}

/** A new PostgreSQL database, migrated, with its URL (the portal and the worker open it too). */
async function freshPostgres(): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const name = `skjold_e2e_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 4 });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * Holds the build lock shared while this portal serves: a `flock /tmp/skjold-build.lock next build`
 * elsewhere waits instead of replacing .next's chunks under a running `next start`.
 */
function holdBuildLockShared(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("flock", ["-s", "/tmp/skjold-build.lock", "-c", "echo held; exec cat"], { stdio: ["pipe", "pipe", "inherit"] });
    child.once("error", reject);
    child.stdout!.once("data", () => resolve(child));
  });
}

/**
 * `host`: "user-mode" onboards the classic loopback lab host (the single-machine trial); "routed"
 * onboards only the network lab's routed host with its address pools, so orders get public addresses.
 */
export async function startOrderPortal(opts: { host?: "user-mode" | "routed" } = {}): Promise<OrderPortal> {
  // One key for this process (which encrypts the lab host's key), the portal and the worker.
  process.env.SKJOLD_SECRET_KEY ??= randomBytes(32).toString("base64");
  const { db, url, drop } = await freshPostgres();
  const adminEmail = "admin@order.e2e.skjold.test";
  const adminPassword = "order-e2e-admin-password";
  await seedDatabase(db.prisma, { adminEmail, adminPassword });
  const host =
    opts.host === "routed" ? (await onboardNetLab(db.prisma, { modes: ["routed"] })).hosts[0]!.row : (await onboardLabHost(db.prisma)).host;
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: url,
    SKJOLD_SECRET_KEY: process.env.SKJOLD_SECRET_KEY,
    SKJOLD_PUBLIC_URL: baseUrl,
    SKJOLD_INLINE_WORKER: "0",
    SKJOLD_WORKER_POLL_MS: "250",
  };
  const lock = await holdBuildLockShared();
  if (!existsSync(path.join(root, ".next/BUILD_ID")))
    throw new Error("no finished build in .next: run `flock /tmp/skjold-build.lock npx next build`");
  const next = path.join(root, "node_modules/next/dist/bin/next");
  const portal = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
  const worker = spawn(process.execPath, [tsx, "scripts/worker.ts"], {
    cwd: root,
    env: { ...env, SKJOLD_WORKER_ID: "e2e-order-worker" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    await waitForHealth(baseUrl, portal, 120_000);
  } catch (err) {
    await Promise.all([stopChild(portal), stopChild(worker)]);
    lock.stdin!.end();
    await drop();
    throw err;
  }
  return {
    baseUrl,
    db,
    adminEmail,
    adminPassword,
    hostName: host.name,
    stop: async () => {
      await Promise.all([stopChild(portal), stopChild(worker)]);
      lock.stdin!.end();
      await drop();
    },
  };
}
