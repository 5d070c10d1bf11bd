// A worker process over the application's jobs (vm.provision, vm.power, vm.delete) against one
// PostgreSQL database, for tests that SIGKILL it mid-step. Run with `node --import tsx`.
import { openDatabase } from "../../lib/db/connect";
import { jobRegistry } from "../../lib/runtime/registry";
import { startWorker } from "../../lib/jobs/worker";

const url = process.env.JOBS_TEST_DB_URL;
const workerId = process.env.JOBS_TEST_WORKER;
if (!url || !workerId) throw new Error("JOBS_TEST_DB_URL and JOBS_TEST_WORKER are required");

const db = await openDatabase({ kind: "postgres", url, poolSize: 4 });
const worker = startWorker({
  prisma: db.prisma,
  registry: jobRegistry,
  workerId,
  concurrency: Number(process.env.JOBS_TEST_CONCURRENCY ?? 2),
  pollMs: 200,
  leaseMs: Number(process.env.JOBS_TEST_LEASE_MS ?? 4_000),
  shutdownGraceMs: 5_000,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.once("SIGTERM", async () => {
  await worker.stop();
  await db.close();
  process.exit(0);
});
process.stdout.write("ready\n");
