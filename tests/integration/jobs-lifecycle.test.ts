import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { AppError } from "@/lib/core/errors";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { chainJob, createJobTestTables, doomedJob, effectsOf, flakyJob, testJobRegistry } from "../helpers/jobs-fixtures";
import { startTestWorker, stepStates, waitForJobEnd } from "../helpers/jobs-run";

describe.each(DB_KINDS)("job lifecycle on %s", (kind) => {
  let db: Database;
  let worker: ReturnType<typeof startTestWorker> | undefined;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await createJobTestTables(db.sql);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => db?.close());

  it("checkpoints every step and passes each output on to later steps", async () => {
    const { jobId, created } = await enqueueJob({ prisma: db.prisma, kind: chainJob, payload: { start: 4, waitInB: false } });
    expect(created).toBe(true);
    worker = startTestWorker(db);
    const end = await waitForJobEnd(db, jobId);
    expect(end.state).toBe("SUCCEEDED");
    expect(stepStates(end)).toEqual({ a: "SUCCEEDED", b: "SUCCEEDED", c: "SUCCEEDED" });
    expect(end.steps.map((s) => s.output)).toEqual([{ n: 5 }, { n: 50 }, { seen: { a: { n: 5 }, b: { n: 50 } } }]);
    expect(await effectsOf(db.prisma, jobId)).toEqual(["a", "b:start", "b:done", "c"]);
  });

  it("enqueues inside the caller's transaction and rolls back with it", async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await enqueueJob({ prisma: tx, kind: chainJob, payload: { start: 1 }, dedupeKey: "tx-abort" });
        throw new Error("the order was refused");
      }),
    ).rejects.toThrow("refused");
    expect(await db.prisma.job.count({ where: { dedupeKey: "tx-abort" } })).toBe(0);
    const inTx = await db.prisma.$transaction((tx) =>
      enqueueJob({ prisma: tx, kind: "test.chain", registry: testJobRegistry(), payload: { start: 1 }, dedupeKey: "tx-ok" }),
    );
    const again = await enqueueJob({ prisma: db.prisma, kind: chainJob, payload: { start: 1 }, dedupeKey: "tx-ok" });
    expect(again).toEqual({ jobId: inTx.jobId, created: false });
    expect(await db.prisma.jobStep.count({ where: { jobId: inTx.jobId } })).toBe(3);
  });

  it.each(["HOST_UNREACHABLE", "TIMEOUT"] as const)("retries a transient %s AppError with backoff, then succeeds", async (transientAs) => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: flakyJob, payload: { failures: 2, transientAs } });
    worker = startTestWorker(db);
    const end = await waitForJobEnd(db, jobId);
    // Two attempts failed (the operator log says so), but an earlier attempt's error is not the outcome.
    expect(worker.logs.filter((l) => /attempt \d\/4 failed, retrying .*(host did not answer|connection reset)/.test(l))).toHaveLength(2);
    expect(end).toMatchObject({ state: "SUCCEEDED", attempts: 3, lastError: null });
    // The step before the flaky one ran once: retries resume from the checkpoint.
    expect(await effectsOf(db.prisma, jobId)).toEqual(["prepare", "connect", "connect", "connect"]);
    expect(end.steps.find((s) => s.key === "connect")).toMatchObject({ state: "SUCCEEDED", attempts: 3, output: { tries: 3 } });
  });

  it("gives up after maxAttempts of transient failures and rolls back", async () => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: flakyJob, payload: { failures: 99, transientAs: "TIMEOUT" } });
    worker = startTestWorker(db);
    const end = await waitForJobEnd(db, jobId);
    expect(end).toMatchObject({ state: "ROLLED_BACK", attempts: 4, lastError: "connection reset (gave up after 4 attempts)" });
    expect(stepStates(end)).toEqual({ prepare: "COMPENSATED", connect: "FAILED" });
  });

  it("runs the compensations of the succeeded steps in reverse order after a permanent failure", async () => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: doomedJob, payload: { failAt: "start" } });
    worker = startTestWorker(db);
    const end = await waitForJobEnd(db, jobId);
    expect(end).toMatchObject({ state: "ROLLED_BACK", attempts: 1, lastError: "start failed on the host" });
    expect(stepStates(end)).toEqual({ disk: "COMPENSATED", domain: "COMPENSATED", start: "FAILED" });
    expect(await effectsOf(db.prisma, jobId)).toEqual(["do:disk", "do:domain", "undo:domain", "undo:disk"]);
  });

  it("ends FAILED, keeping both errors, when a compensation fails", async () => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: doomedJob, payload: { failAt: "start", undoFails: "disk" } });
    worker = startTestWorker(db);
    const end = await waitForJobEnd(db, jobId);
    expect(end.state).toBe("FAILED");
    expect(end.lastError).toBe("start failed on the host; rollback incomplete: disk: could not remove disk");
    expect(stepStates(end)).toEqual({ disk: "SUCCEEDED", domain: "COMPENSATED", start: "FAILED" });
    expect(end.steps[0]!.error).toBe("rollback failed: could not remove disk");
  });

  it("refuses a bad payload when enqueued, and fails a stored bad payload for good without running it", async () => {
    const err = await enqueueJob({ prisma: db.prisma, kind: chainJob, payload: { start: "four" } as never }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "VALIDATION", message: expect.stringContaining("start") });
    // A row written by an older release whose payload no longer validates.
    const stale = await db.prisma.job.create({ data: { kind: "test.chain", payload: { begin: 4 } } });
    worker = startTestWorker(db);
    const end = await waitForJobEnd(db, stale.id);
    expect(end).toMatchObject({ state: "FAILED", attempts: 1, lastError: expect.stringContaining("Invalid payload for job test.chain") });
    expect(await effectsOf(db.prisma, stale.id)).toEqual([]);
  });
});
