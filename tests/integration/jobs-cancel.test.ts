import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { cancelJob } from "@/lib/jobs/cancel";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { sleep } from "@/lib/jobs/lease-guard";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { chainJob, createJobTestTables, effectsOf } from "../helpers/jobs-fixtures";
import { startTestWorker, stepStates, waitForJobEnd } from "../helpers/jobs-run";

describe.each(DB_KINDS)("cancelling jobs on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await createJobTestTables(db.sql);
  });
  afterAll(async () => db?.close());

  it("ends a queued job with nothing done at once, and refuses to cancel a finished one", async () => {
    const { jobId } = await enqueueJob({
      prisma: db.prisma,
      kind: chainJob,
      payload: { start: 1 },
      runAt: new Date(Date.now() + 3_600_000),
    });
    expect(await cancelJob({ prisma: db.prisma, jobId, reason: "Order withdrawn" })).toEqual({ state: "CANCELLED", rollingBack: false });
    const end = await waitForJobEnd(db, jobId);
    expect(end).toMatchObject({ state: "CANCELLED", done: true, lastError: "Order withdrawn" });
    await expect(cancelJob({ prisma: db.prisma, jobId })).resolves.toMatchObject({ state: "CANCELLED" });
    const done = await db.prisma.job.create({
      data: { kind: "test.chain", payload: { start: 1 }, state: "SUCCEEDED", finishedAt: new Date() },
    });
    await expect(cancelJob({ prisma: db.prisma, jobId: done.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "The job has already ended (succeeded)",
    });
    await expect(cancelJob({ prisma: db.prisma, jobId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("stops a running job through its signal and undoes what it did", async () => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: chainJob, payload: { start: 1, waitInB: true } });
    const worker = startTestWorker(db, { leaseMs: 600 });
    try {
      while (!(await effectsOf(db.prisma, jobId)).includes("b:start")) await sleep(20);
      expect(await cancelJob({ prisma: db.prisma, jobId, reason: "Cancelled by the owner" })).toEqual({
        state: "CANCELLED",
        rollingBack: true,
      });
      const end = await waitForJobEnd(db, jobId);
      expect(end).toMatchObject({ state: "CANCELLED", done: true });
      expect(stepStates(end)).toEqual({ a: "COMPENSATED", b: "FAILED", c: "PENDING" });
      expect(await effectsOf(db.prisma, jobId)).toEqual(["a", "b:start"]);
      await expect(cancelJob({ prisma: db.prisma, jobId })).resolves.toMatchObject({ state: "CANCELLED" });
    } finally {
      await worker.stop();
    }
  });
});
