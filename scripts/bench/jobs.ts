// Job engine throughput and claim latency on PostgreSQL: `npx tsx scripts/bench/jobs.ts`.
// Uses a throw-away database on SKJOLD_BENCH_PG_URL (default: the local server). Each worker gets its
// own connection pool, as separate replicas would. Figures are ratios against baselines measured in
// the same run: 1 worker for throughput, a bare `SELECT 1` round trip for claim latency.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { z } from "zod";
import { openDatabase, type Database } from "@/lib/db/connect";
import { defineJob } from "@/lib/jobs/define";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { createJobRegistry } from "@/lib/jobs/job-registry";
import { claimJobs } from "@/lib/jobs/lease";
import { startWorker } from "@/lib/jobs/worker";

const ADMIN_URL = process.env.SKJOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const JOBS = Number(process.env.SKJOLD_BENCH_JOBS ?? 600);

const trivialJob = defineJob({ name: "bench.trivial", payload: z.object({ i: z.number() }), steps: [{ key: "noop", run: () => null }] });
const registry = createJobRegistry(trivialJob);

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

async function enqueueMany(db: Database, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    await db.prisma.$transaction(async (tx) => {
      for (let j = i; j < Math.min(n, i + 100); j++) await enqueueJob({ prisma: tx, kind: trivialJob, payload: { i: j } });
    });
  }
}

async function throughput(url: string, main: Database, workers: number, concurrency: number): Promise<number> {
  await main.sql.exec(`TRUNCATE "Job" CASCADE`);
  await enqueueMany(main, JOBS);
  const dbs = await Promise.all(Array.from({ length: workers }, () => openDatabase({ kind: "postgres", url, poolSize: concurrency + 1 })));
  let done = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  const started = performance.now();
  const handles = dbs.map((db, w) =>
    startWorker({
      prisma: db.prisma,
      registry,
      workerId: `bench-${w}`,
      concurrency,
      pollMs: 50,
      leaseMs: 30_000,
      log: () => undefined,
      onJobDone: () => void (++done === JOBS && finish()),
    }),
  );
  const deadline = setTimeout(() => {
    console.error(`stuck: ${done}/${JOBS} jobs done after 120 s`);
    process.exit(1);
  }, 120_000);
  await allDone;
  clearTimeout(deadline);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(handles.map((h) => h.stop()));
  await Promise.all(dbs.map((db) => db.close()));
  const wrong = await main.prisma.job.count({ where: { NOT: { state: "SUCCEEDED", attempts: 1 } } });
  if (wrong > 0) throw new Error(`${wrong} jobs did not succeed on their first attempt`);
  return JOBS / seconds;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const name = `skjold_bench_${randomBytes(5).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const db = await openDatabase({ kind: "postgres", url, poolSize: 4 });
  try {
    const configs: [number, number][] = [
      [1, 1],
      [4, 1],
      [1, 4],
      [4, 4],
    ];
    const rates: Record<string, number> = {};
    for (const [w, c] of configs) rates[`${w}x${c}`] = await throughput(url, db, w, c);
    const base = rates["1x1"]!;
    console.log(`throughput, ${JOBS} one-step jobs (workers x concurrency):`);
    for (const [key, rate] of Object.entries(rates))
      console.log(`  ${key.padEnd(4)} ${rate.toFixed(0).padStart(5)} jobs/s  ${(rate / base).toFixed(2)}x of 1x1`);

    await db.sql.exec(`TRUNCATE "Job" CASCADE`);
    const roundTrip = await timeEach(300, () => db.sql.query("SELECT 1"));
    const claimEmpty = await timeEach(300, () =>
      claimJobs({ prisma: db.prisma, workerId: "bench", kinds: registry.kinds(), leaseMs: 30_000 }),
    );
    await enqueueMany(db, 2_000);
    const claimFull = await timeEach(300, () =>
      claimJobs({ prisma: db.prisma, workerId: "bench", kinds: registry.kinds(), leaseMs: 30_000 }),
    );
    const rt = percentile(roundTrip, 50);
    console.log(`claim latency (300 claims each; baseline SELECT 1 round trip p50 ${rt.toFixed(3)} ms):`);
    for (const [label, xs] of [
      ["empty queue", claimEmpty],
      ["2000 queued", claimFull],
    ] as const) {
      const p50 = percentile(xs, 50);
      const p95 = percentile(xs, 95);
      console.log(`  ${label.padEnd(12)} p50 ${p50.toFixed(3)} ms (${(p50 / rt).toFixed(1)}x round trip)  p95 ${p95.toFixed(3)} ms`);
    }
  } finally {
    await db.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
