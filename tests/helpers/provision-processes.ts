import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// Worker processes over the application's jobs, killable with SIGKILL (node runs the worker itself).

export interface ProvisionWorker {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<unknown>;
  stderr(): string;
}

export function spawnProvisionWorker(opts: { url: string; workerId: string; env?: Record<string, string> }): ProvisionWorker {
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests/helpers/provision-worker-child.ts")], {
    cwd: root,
    env: { ...process.env, JOBS_TEST_DB_URL: opts.url, JOBS_TEST_WORKER: opts.workerId, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", () => reject(new Error(`worker ${opts.workerId} exited before it was ready:\n${err}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { child, ready, exited, stderr: () => err };
}
