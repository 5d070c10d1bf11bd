import type { Database } from "../../lib/db/connect";
import { watchJob, type JobSnapshot } from "../../lib/jobs/watch";
import { startWorker, type StartWorkerOptions, type WorkerHandle } from "../../lib/jobs/worker";
import { testJobRegistry } from "./jobs-fixtures";

/** A worker over the test jobs that polls fast and keeps its log for the test to read. */
export function startTestWorker(db: Database, overrides: Partial<StartWorkerOptions> = {}): WorkerHandle & { logs: string[] } {
  const logs: string[] = [];
  const handle = startWorker({
    prisma: db.prisma,
    registry: testJobRegistry(),
    pollMs: 20,
    leaseMs: 3_000,
    shutdownGraceMs: 2_000,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return Object.assign(handle, { logs });
}

/** The job's last snapshot, once nothing more will happen to it. */
export async function waitForJobEnd(db: Database, jobId: string, includeOutputs = true): Promise<JobSnapshot> {
  let last: JobSnapshot | undefined;
  for await (const s of watchJob({ prisma: db.prisma, jobId, intervalMs: 20, includeOutputs })) last = s;
  return last!;
}

export const stepStates = (s: JobSnapshot) => Object.fromEntries(s.steps.map((st) => [st.key, st.state]));
