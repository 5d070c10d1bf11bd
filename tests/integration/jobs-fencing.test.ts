import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { claimJobs } from "@/lib/jobs/lease";
import { sleep } from "@/lib/jobs/lease-guard";
import { runJob } from "@/lib/jobs/run-job";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { chainJob, createJobTestTables, effectsOf, setMarker, testJobRegistry } from "../helpers/jobs-fixtures";

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(20);
}

describe.each(DB_KINDS)("lease fencing on %s", (kind) => {
  let db: Database;
  const registry = testJobRegistry();
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await createJobTestTables(db.sql);
  });
  afterAll(async () => db?.close());

  it("a worker that lost its lease cannot commit; the new owner resumes from the last checkpoint", async () => {
    const { prisma } = db;
    const { jobId } = await enqueueJob({ prisma, kind: chainJob, payload: { start: 1, waitInB: true } });
    const [stale] = await claimJobs({ prisma, workerId: "stale", kinds: registry.kinds(), leaseMs: 60_000 });
    expect(stale?.id).toBe(jobId);
    const staleRun = runJob({ prisma, registry, claimed: stale!, leaseMs: 60_000, log });
    await until(async () => (await effectsOf(prisma, jobId)).includes("b:start"));

    // The stale worker hangs past its lease; nobody can claim the job before that.
    expect(await claimJobs({ prisma, workerId: "fresh", kinds: registry.kinds(), leaseMs: 60_000 })).toEqual([]);
    await prisma.job.update({ where: { id: jobId }, data: { lockedUntil: new Date(Date.now() - 5_000) } });
    const [fresh] = await claimJobs({ prisma, workerId: "fresh", kinds: registry.kinds(), leaseMs: 60_000 });
    expect(fresh).toMatchObject({ id: jobId, lease: expect.stringMatching(/^fresh#/) });

    await setMarker(prisma, `b:${jobId}`); // the stale worker's step b now finishes and tries to commit
    expect(await staleRun).toBe("LEASE_LOST");
    const b = await prisma.jobStep.findUniqueOrThrow({ where: { jobId_key: { jobId, key: "b" } } });
    expect(b).toMatchObject({ state: "RUNNING", output: null });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      state: "RUNNING",
      lockedBy: fresh!.lease,
      attempts: 2,
    });

    expect(await runJob({ prisma, registry, claimed: fresh!, leaseMs: 60_000, log })).toBe("SUCCEEDED");
    // a ran once (checkpointed before the takeover), b ran in both workers, c only in the new owner.
    expect(await effectsOf(prisma, jobId)).toEqual(["a", "b:start", "b:done", "b:start", "b:done", "c"]);
    const steps = await prisma.jobStep.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
    expect(steps.map((s) => [s.key, s.state, s.attempts])).toEqual([
      ["a", "SUCCEEDED", 1],
      ["b", "SUCCEEDED", 2],
      ["c", "SUCCEEDED", 1],
    ]);
  });

  it("does not let a stale worker finish, fail or retry a job it no longer owns", async () => {
    const { prisma } = db;
    const { jobId } = await enqueueJob({ prisma, kind: chainJob, payload: { start: 1 } });
    const [first] = await claimJobs({ prisma, workerId: "one", kinds: registry.kinds(), leaseMs: 60_000 });
    await prisma.job.update({ where: { id: jobId }, data: { lockedUntil: new Date(Date.now() - 5_000) } });
    const [second] = await claimJobs({ prisma, workerId: "two", kinds: registry.kinds(), leaseMs: 60_000 });
    expect(second?.id).toBe(jobId);
    expect(await runJob({ prisma, registry, claimed: first!, leaseMs: 60_000, log })).toBe("LEASE_LOST");
    expect(await effectsOf(prisma, jobId)).toEqual([]);
    expect(await runJob({ prisma, registry, claimed: second!, leaseMs: 60_000, log })).toBe("SUCCEEDED");
  });
});
