import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { watchJob, type JobSnapshot } from "@/lib/jobs/watch";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { createJobTestTables, gatedJob, setMarker } from "../helpers/jobs-fixtures";
import { startTestWorker } from "../helpers/jobs-run";

describe.each(DB_KINDS)("watching a job on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await createJobTestTables(db.sql);
  });
  afterAll(async () => db?.close());

  it("yields every step transition in order and ends with the finished job", async () => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: gatedJob, payload: {} });
    const snapshots: JobSnapshot[] = [];
    const transitions: string[] = [];
    const seen = new Map<string, string>();
    const worker = startTestWorker(db);
    try {
      for await (const snap of watchJob({ prisma: db.prisma, jobId, intervalMs: 20 })) {
        snapshots.push(snap);
        for (const step of snap.steps) {
          if (seen.get(step.key) === step.state) continue;
          seen.set(step.key, step.state);
          if (step.state !== "PENDING") transitions.push(`${step.key}:${step.state}`);
          // Each step waits for its gate: the watcher must have seen it RUNNING before it can finish.
          if (step.state === "RUNNING") await setMarker(db.prisma, `${step.key}:${jobId}`);
        }
      }
    } finally {
      await worker.stop();
    }
    expect(transitions).toEqual([
      "place:RUNNING",
      "place:SUCCEEDED",
      "boot:RUNNING",
      "boot:SUCCEEDED",
      "verify:RUNNING",
      "verify:SUCCEEDED",
    ]);
    expect(snapshots[0]!.steps.map((s) => s.state)).toContain("PENDING");
    expect(snapshots.at(-1)).toMatchObject({ state: "SUCCEEDED", done: true });
    expect(snapshots.at(-1)!.steps[0]).not.toHaveProperty("output"); // outputs only when asked for
    // Consecutive snapshots always differ: a watcher is woken only by a change.
    const bodies = snapshots.map((s) => JSON.stringify(s));
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it("stops when its signal aborts and reports an unknown job", async () => {
    const { jobId } = await enqueueJob({ prisma: db.prisma, kind: gatedJob, payload: {}, runAt: new Date(Date.now() + 3_600_000) });
    const controller = new AbortController();
    const got: JobSnapshot[] = [];
    for await (const snap of watchJob({ prisma: db.prisma, jobId, intervalMs: 20, signal: controller.signal })) {
      got.push(snap);
      controller.abort();
    }
    expect(got.map((s) => s.state)).toEqual(["QUEUED"]);
    const unknown = watchJob({ prisma: db.prisma, jobId: "00000000-0000-4000-8000-000000000000" });
    await expect(unknown.next()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
