// Portal benchmarks (issue: foundation).
//   1. Authenticated API read: GET /api/v1/teams/{slug}/vms returning 1,000 rows, 50 concurrent
//      clients, requests/s and p99, as a ratio to the unauthenticated /api/health in the same run.
//   2. Cold start of the built portal to the first successful page, and resident memory when idle.
// Both on the embedded database and on PostgreSQL at 127.0.0.1:5432.
// Run: npx tsx scripts/bench/portal.ts [--seconds 10] [--clients 50]   (needs `next build` first)
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createApiToken } from "@/lib/auth/api-tokens";
import { openDatabase, type Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { makeTeam, makeUser } from "../../tests/helpers/factories";

const root = path.resolve(import.meta.dirname, "../..");
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 10);
const CLIENTS = arg("clients", 50);
const PORT = 3290;

async function prepare(db: Database) {
  await seedDatabase(db.prisma, { adminPassword: "bench-admin-password" });
  const owner = await makeUser(db.prisma);
  const team = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
  const region = await db.prisma.region.findFirstOrThrow();
  const plan = await db.prisma.plan.findFirstOrThrow();
  const image = await db.prisma.image.findFirstOrThrow();
  await db.sql.query(
    `INSERT INTO "VirtualMachine" ("teamId","name","regionId","planId","imageId","state","vcpus","memoryMb","diskGb","domainName","updatedAt")
     SELECT $1, 'vm-' || g, $2, $3, $4, 'RUNNING', 1, 1024, 10, 'skj-bench-' || g || '-' || $5, now() FROM generate_series(1, 1000) g`,
    [team.id, region.id, plan.id, image.id, team.slug],
  );
  const { token } = await createApiToken({
    prisma: db.prisma,
    principal: owner.principal,
    teamSlug: team.slug,
    input: { name: "bench", role: "VIEWER" },
  });
  return { slug: team.slug, token };
}

function startPortal(env: Record<string, string>): { child: ChildProcess; started: number } {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT), "-H", "127.0.0.1"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    },
  );
  return { child, started };
}

async function firstPage(started: number): Promise<number> {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/sign-in`);
      if (r.ok) return performance.now() - started;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function rssMb(pid: number): number {
  // The portal's process tree: next start may run the server in a child.
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

async function load(url: string, headers: Record<string, string>) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const r = await fetch(url, { headers });
        await r.arrayBuffer();
        if (r.ok) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / SECONDS, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, errors };
}

async function benchOne(kind: "embedded" | "postgres") {
  let env: Record<string, string>;
  let cleanup = async () => {};
  let seeded: { slug: string; token: string };
  if (kind === "embedded") {
    const dataDir = path.join(root, ".skjold/bench-data");
    rmSync(dataDir, { recursive: true, force: true });
    const db = await openDatabase({ kind: "embedded", dataDir: path.join(dataDir, "pglite") });
    seeded = await prepare(db);
    await db.close();
    env = { SKJOLD_DATA_DIR: dataDir };
  } else {
    const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
    await admin.connect();
    await admin.query("DROP DATABASE IF EXISTS skjold_bench WITH (FORCE)");
    await admin.query("CREATE DATABASE skjold_bench");
    const url = "postgres://postgres@127.0.0.1:5432/skjold_bench";
    const db = await openDatabase({ kind: "postgres", url });
    seeded = await prepare(db);
    await db.close();
    env = {
      DATABASE_URL: url,
      SKJOLD_DATA_DIR: path.join(root, ".skjold/bench-data-pg"),
      SKJOLD_SECRET_KEY: randomBytes(32).toString("base64"),
    };
    cleanup = async () => {
      await admin.query("DROP DATABASE IF EXISTS skjold_bench WITH (FORCE)");
      await admin.end();
    };
  }
  const { child, started } = startPortal(env);
  try {
    const coldMs = await firstPage(started);
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss = rssMb(child.pid!);
    const base = `http://127.0.0.1:${PORT}`;
    const rows = (await (
      await fetch(`${base}/api/v1/teams/${seeded.slug}/vms`, { headers: { authorization: `Bearer ${seeded.token}` } })
    ).json()) as { vms: unknown[] };
    if (rows.vms.length !== 1000) throw new Error(`expected 1000 rows, got ${rows.vms.length}`);
    await load(`${base}/api/health`, {}); // warm-up
    const health = await load(`${base}/api/health`, {});
    const authed = await load(`${base}/api/v1/teams/${seeded.slug}/vms`, { authorization: `Bearer ${seeded.token}` });
    return { kind, coldMs, idleRss, health, authed };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await cleanup();
  }
}

const results = [];
for (const kind of ["embedded", "postgres"] as const) results.push(await benchOne(kind));
console.log(`\nPortal benchmark: ${CLIENTS} concurrent clients, ${SECONDS} s per route, ${new Date().toISOString()}`);
console.log(
  "| database | cold start to first page | idle RSS | /api/health req/s (p99) | 1,000-row authed read req/s (p99) | read/health throughput | errors |",
);
console.log("|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.kind} | ${(r.coldMs / 1000).toFixed(2)} s | ${r.idleRss.toFixed(0)} MiB | ${r.health.rps.toFixed(0)} (${r.health.p99.toFixed(0)} ms) | ${r.authed.rps.toFixed(0)} (${r.authed.p99.toFixed(0)} ms) | ${(r.authed.rps / r.health.rps).toFixed(3)} | ${r.health.errors + r.authed.errors} |`,
  );
}
process.exit(0);
