import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { sleep } from "@/lib/jobs/lease-guard";
import { chainJob, createJobTestTables, effectsOf, setMarker, touchJob } from "../helpers/jobs-fixtures";
import { createPostgresDatabase, spawnWorkerChild, type WorkerChild } from "../helpers/jobs-processes";
import { waitForJobEnd } from "../helpers/jobs-run";

// Several worker processes against one PostgreSQL database (PGlite is single-process, so these run
// on PostgreSQL only).

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(25);
}

async function effectsWithWorker(db: Database, jobId: string): Promise<string[]> {
  const rows = await db.sql.query<{ what: string; worker: string }>(
    `SELECT what, worker FROM jobs_test_effects WHERE job_id = $1 ORDER BY id`,
    [jobId],
  );
  return rows.map((r) => `${r.worker}:${r.what}`);
}

describe("job workers as separate processes on postgres", () => {
  let db: Database;
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const children: WorkerChild[] = [];
  const spawnWorker = (workerId: string, env: Record<string, string> = {}) => {
    const w = spawnWorkerChild({ url: target.url, workerId, env: { JOBS_TEST_WORKER: workerId, ...env } });
    children.push(w);
    return w;
  };
  const terminate = async (w: WorkerChild) => {
    w.child.kill("SIGTERM");
    return w.exited;
  };

  beforeAll(async () => {
    target = await createPostgresDatabase();
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 3 });
    await createJobTestTables(db.sql);
  });
  afterAll(async () => {
    for (const w of children) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await Promise.all(children.map((w) => w.exited));
    await db?.close();
    await target?.drop();
  });

  it("two worker processes racing for 50 jobs run each job exactly once", async () => {
    const workers = [spawnWorker("racer-1", { JOBS_TEST_CONCURRENCY: "3" }), spawnWorker("racer-2", { JOBS_TEST_CONCURRENCY: "3" })];
    await Promise.all(workers.map((w) => w.ready));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await enqueueJob({ prisma: db.prisma, kind: touchJob, payload: { i, holdMs: 15 } })).jobId);
    await until(async () => (await db.prisma.job.count({ where: { id: { in: ids }, finishedAt: { not: null } } })) === ids.length);

    const perJob = await db.sql.query<{ job_id: string; n: number }>(
      `SELECT job_id, count(*)::int AS n FROM jobs_test_effects WHERE what = 'touch' GROUP BY job_id`,
    );
    expect(perJob).toHaveLength(50);
    expect(perJob.every((r) => r.n === 1)).toBe(true);
    const perWorker = await db.sql.query<{ worker: string; n: number }>(
      `SELECT worker, count(*)::int AS n FROM jobs_test_effects WHERE what = 'touch' GROUP BY worker ORDER BY worker`,
    );
    expect(perWorker.map((r) => r.worker)).toEqual(["racer-1", "racer-2"]); // both took part
    expect(await db.prisma.job.groupBy({ by: ["state", "attempts"], where: { id: { in: ids } }, _count: true })).toEqual([
      { state: "SUCCEEDED", attempts: 1, _count: 50 },
    ]);
    const exits = await Promise.all(workers.map(terminate));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });

  it("resumes a job after its worker is SIGKILLed mid-step, without re-running finished steps", async () => {
    const doomed = spawnWorker("doomed", { JOBS_TEST_LEASE_MS: "1500" });
    await doomed.ready;
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: chainJob, payload: { start: 2, waitInB: true } });
    await until(async () => (await effectsOf(db.prisma, jobId)).includes("b:start"));
    doomed.child.kill("SIGKILL");
    expect(await doomed.exited).toEqual({ code: null, signal: "SIGKILL" });
    await setMarker(db.prisma, `b:${jobId}`);

    const heir = spawnWorker("heir", { JOBS_TEST_LEASE_MS: "1500" });
    await heir.ready;
    const end = await waitForJobEnd(db, jobId);
    expect(end).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
    expect(end.steps.map((s) => [s.key, s.attempts, s.output])).toEqual([
      ["a", 1, { n: 3 }],
      ["b", 2, { n: 30 }],
      ["c", 1, { seen: { a: { n: 3 }, b: { n: 30 } } }],
    ]);
    expect(await effectsWithWorker(db, jobId)).toEqual(["doomed:a", "doomed:b:start", "heir:b:start", "heir:b:done", "heir:c"]);
    expect(await terminate(heir)).toEqual({ code: 0, signal: null });
  });

  it("on SIGTERM hands a running job back at once for another worker to resume", async () => {
    const leaving = spawnWorker("leaving", { JOBS_TEST_LEASE_MS: "60000", JOBS_TEST_GRACE_MS: "300" });
    await leaving.ready;
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: chainJob, payload: { start: 7, waitInB: true } });
    await until(async () => (await effectsOf(db.prisma, jobId)).includes("b:start"));
    expect(await terminate(leaving)).toEqual({ code: 0, signal: null });
    expect(leaving.stdout()).toContain('stopped {"ABANDONED":1}');
    // Handed back: claimable now, not after the 60 s lease.
    const handedBack = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(handedBack.state).toBe("RUNNING");
    expect(handedBack.lockedUntil!.getTime()).toBeLessThan(Date.now());

    await setMarker(db.prisma, `b:${jobId}`);
    const next = spawnWorker("next", { JOBS_TEST_LEASE_MS: "60000" });
    await next.ready;
    expect(await waitForJobEnd(db, jobId)).toMatchObject({ state: "SUCCEEDED" });
    expect(await effectsWithWorker(db, jobId)).toEqual(["leaving:a", "leaving:b:start", "next:b:start", "next:b:done", "next:c"]);
    expect(await terminate(next)).toEqual({ code: 0, signal: null });
  });
});
