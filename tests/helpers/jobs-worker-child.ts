// A worker process over the test jobs, for tests that race processes or kill one (run with
// `node --import tsx`, so that SIGKILL hits the worker itself and not a wrapper process).
import { openDatabase } from "../../lib/db/connect";
import { startWorker } from "../../lib/jobs/worker";
import { testJobRegistry } from "./jobs-fixtures";

const url = process.env.JOBS_TEST_DB_URL;
const workerId = process.env.JOBS_TEST_WORKER;
if (!url || !workerId) throw new Error("JOBS_TEST_DB_URL and JOBS_TEST_WORKER are required");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const db = await openDatabase({ kind: "postgres", url, poolSize: num("JOBS_TEST_POOL", 4) });
const worker = startWorker({
  prisma: db.prisma,
  registry: testJobRegistry(),
  workerId,
  concurrency: num("JOBS_TEST_CONCURRENCY", 2),
  pollMs: num("JOBS_TEST_POLL_MS", 20),
  leaseMs: num("JOBS_TEST_LEASE_MS", 2_000),
  shutdownGraceMs: num("JOBS_TEST_GRACE_MS", 5_000),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.once("SIGTERM", async () => {
  await worker.stop();
  process.stdout.write(`stopped ${JSON.stringify(worker.stats().finished)}\n`);
  await db.close();
  process.exit(0);
});
process.stdout.write("ready\n");
