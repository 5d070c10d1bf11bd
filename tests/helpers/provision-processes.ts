import { spawnWorkerChild, type WorkerChild } from "./jobs-processes";

// Worker processes over the application's jobs, killable with SIGKILL (node runs the worker itself).

export type ProvisionWorker = WorkerChild;

export function spawnProvisionWorker(opts: { url: string; workerId: string; env?: Record<string, string> }): ProvisionWorker {
  return spawnWorkerChild({ ...opts, script: "tests/helpers/provision-worker-child.ts" });
}
