import { spawnWorkerChild, type WorkerChild } from "./jobs-processes";

// Worker processes over the application's jobs, killable with SIGKILL (node runs the worker itself).

export type ProvisionWorker = WorkerChild;

function spawnProvisionWorker(opts: { url: string; workerId: string; env?: Record<string, string> }): ProvisionWorker {
  return spawnWorkerChild({ ...opts, script: "tests/helpers/provision-worker-child.ts" });
}

/** SIGKILLs the workers still alive and waits until every one has exited. */
async function killAllWorkers(workers: ProvisionWorker[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
}

/** Killable worker processes over one database: spawn (and wait until ready), SIGKILL one, or all at the end. */
export function workerFleet(opts: { url: () => string; prefix: string; env?: Record<string, string> }) {
  const workers: ProvisionWorker[] = [];
  let n = 0;
  return {
    workers,
    async spawn(env: Record<string, string> = {}): Promise<ProvisionWorker> {
      const w = spawnProvisionWorker({
        url: opts.url(),
        workerId: `${opts.prefix}-${++n}`,
        env: { JOBS_TEST_LEASE_MS: "4000", ...opts.env, ...env },
      });
      workers.push(w);
      await w.ready;
      return w;
    },
    async kill(w: ProvisionWorker): Promise<void> {
      w.child.kill("SIGKILL");
      await w.exited;
    },
    killAll: () => killAllWorkers(workers),
  };
}
