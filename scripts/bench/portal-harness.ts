// What the portal benchmarks share: a database with a team of N VMs and a VIEWER token, the built
// portal started with `next start` on it, and a fixed number of keep-alive clients hammering one URL
// for a fixed time. Used by scripts/bench/portal.ts and scripts/bench/api-lists.ts (after `next build`).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createApiToken } from "@/lib/auth/api-tokens";
import { openDatabase, type Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { makeTeam, makeUser } from "../../tests/helpers/factories";

export const root = path.resolve(import.meta.dirname, "../..");
export type DbKind = "embedded" | "postgres";

export function numberArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** A team with `vms` RUNNING VMs (one INSERT … generate_series) and a VIEWER token of its owner. */
async function seedTeam(db: Database, vms: number) {
  await seedDatabase(db.prisma, { adminPassword: "bench-admin-password" });
  const owner = await makeUser(db.prisma);
  const team = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
  const region = await db.prisma.region.findFirstOrThrow();
  const plan = await db.prisma.plan.findFirstOrThrow();
  const image = await db.prisma.image.findFirstOrThrow();
  await db.sql.query(
    `INSERT INTO "VirtualMachine" ("teamId","name","regionId","planId","imageId","state","vcpus","memoryMb","diskGb","domainName","createdAt","updatedAt")
     SELECT $1, 'vm-' || g, $2, $3, $4, 'RUNNING', 1, 1024, 10, 'skj-bench-' || g || '-' || $5,
            now() - g * interval '1 second', now()
     FROM generate_series(1, $6::int) g`,
    [team.id, region.id, plan.id, image.id, team.slug, vms],
  );
  const { token } = await createApiToken({
    prisma: db.prisma,
    principal: owner.principal,
    teamSlug: team.slug,
    input: { name: "bench", role: "VIEWER" },
  });
  return { slug: team.slug, token };
}

/**
 * Seeds a fresh database of the kind (a data folder for PGlite; `skjold_bench` on the local
 * PostgreSQL) and returns what the portal needs to run on it, and how to drop it after.
 */
export async function prepareDatabase(
  kind: DbKind,
  vms: number,
): Promise<{ seeded: { slug: string; token: string }; env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (kind === "embedded") {
    const dataDir = path.join(root, ".skjold/bench-data");
    rmSync(dataDir, { recursive: true, force: true });
    const db = await openDatabase({ kind: "embedded", dataDir: path.join(dataDir, "pglite") });
    const seeded = await seedTeam(db, vms);
    await db.close();
    return { seeded, env: { SKJOLD_DATA_DIR: dataDir }, cleanup: async () => {} };
  }
  const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS skjold_bench WITH (FORCE)");
  await admin.query("CREATE DATABASE skjold_bench");
  const url = "postgres://postgres@127.0.0.1:5432/skjold_bench";
  const db = await openDatabase({ kind: "postgres", url });
  const seeded = await seedTeam(db, vms);
  await db.close();
  return {
    seeded,
    env: {
      DATABASE_URL: url,
      SKJOLD_DATA_DIR: path.join(root, ".skjold/bench-data-pg"),
      SKJOLD_SECRET_KEY: randomBytes(32).toString("base64"),
    },
    cleanup: async () => {
      await admin.query("DROP DATABASE IF EXISTS skjold_bench WITH (FORCE)");
      await admin.end();
    },
  };
}

/** `next start` of the built portal; `started` is when it was spawned (for the cold start). */
export function startPortal(opts: { port: number; env: Record<string, string> }): { child: ChildProcess; started: number } {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(opts.port), "-H", "127.0.0.1"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...opts.env },
    },
  );
  return { child, started };
}

export async function stopPortal(child: ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

/** Milliseconds from `started` to the first 200 for `url`; gives up after two minutes. */
export async function firstAnswer(url: string, started: number): Promise<number> {
  while (performance.now() - started < 120_000) {
    try {
      const r = await fetch(url);
      if (r.ok) return performance.now() - started;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not answer 200 within 2 minutes`);
}

/** Resident memory of a process and its children, in MiB (next start may serve from a child). */
export function rssMb(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    const status = readFileSync(`/proc/${p}/status`, "utf8");
    total += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    const kids = existsSync(`/proc/${p}/task/${p}/children`) ? readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim() : "";
    for (const k of kids.split(/\s+/).filter(Boolean)) visit(Number(k));
  };
  visit(pid);
  return total / 1024;
}

export interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
}

/** `clients` keep-alive clients request `url` back to back for `seconds`; each stops on its own. */
export async function load(opts: { url: string; headers: Record<string, string>; seconds: number; clients: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const r = await fetch(opts.url, { headers: opts.headers });
        await r.arrayBuffer();
        if (r.ok) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / opts.seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN, errors };
}
