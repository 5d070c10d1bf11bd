import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { freeLoopbackPort } from "@/tests/helpers/lab";

// Portal and worker processes for multi-process e2e specs: each on its own loopback port (portals),
// each writing to its own log file under .skjold/logs/, all stopped by `stopProcesses` (afterAll)
// and SIGKILLed if the test runner itself exits first, so no replica outlives its spec.

const root = path.resolve(import.meta.dirname, "../..");
const NEXT = path.join(root, "node_modules/next/dist/bin/next");
const LOG_DIR = path.join(root, ".skjold/logs");

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** portals only: http://127.0.0.1:PORT */
  baseUrl?: string;
}

/** What every portal and worker of one deployment shares. */
export interface DeploymentEnv {
  databaseUrl: string;
  /** base64, 32 bytes: the same for all processes, or they cannot read each other's secrets */
  secretKey: string;
  /** unique per run, so that log files of several runs do not mix */
  runId: string;
}

const live = new Set<ManagedProcess>();
process.once("exit", () => {
  for (const p of live) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
});

function spawnLogged(opts: { name: string; runId: string; argv: string[]; env: NodeJS.ProcessEnv }): ManagedProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${opts.runId}-${opts.name}.log`);
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, opts.argv, { cwd: root, env: opts.env, stdio: ["ignore", fd, fd] });
  closeSync(fd); // the child holds its own copy
  const proc = { name: opts.name, child, logFile };
  live.add(proc);
  child.once("exit", () => live.delete(proc));
  return proc;
}

function baseEnv(d: DeploymentEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: d.databaseUrl,
    SKJOLD_SECRET_KEY: d.secretKey,
  };
}

/** The last `lines` lines of a process's log, for failure messages. */
export function tailLog(proc: ManagedProcess, lines = 40): string {
  if (!existsSync(proc.logFile)) return "(no log)";
  const text = readFileSync(proc.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  return `--- last ${lines} lines of ${proc.logFile} ---\n${text}`;
}

async function waitUntil(proc: ManagedProcess, what: string, ready: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode} before ${what}\n${tailLog(proc)}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${proc.name}: no ${what} within ${ms} ms\n${tailLog(proc)}`);
}

/** `next start` on a free loopback port, without the inline worker; resolves once /api/health answers. */
export async function startPortal(
  opts: DeploymentEnv & { name: string; adminEmail: string; adminPassword: string; dataDir: string; timeoutMs?: number },
): Promise<ManagedProcess> {
  if (!existsSync(path.join(root, ".next/BUILD_ID")))
    throw new Error("no finished build in .next: run `flock /tmp/skjold-build.lock npx next build`");
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  mkdirSync(opts.dataDir, { recursive: true });
  const env = {
    ...baseEnv(opts),
    SKJOLD_ADMIN_EMAIL: opts.adminEmail,
    SKJOLD_ADMIN_PASSWORD: opts.adminPassword,
    SKJOLD_DATA_DIR: opts.dataDir,
    SKJOLD_PUBLIC_URL: baseUrl,
    SKJOLD_INLINE_WORKER: "0",
  };
  const proc = {
    ...spawnLogged({ name: opts.name, runId: opts.runId, argv: [NEXT, "start", "-p", String(port), "-H", "127.0.0.1"], env }),
    baseUrl,
  };
  await waitUntil(proc, "answer on /api/health", () => fetch(`${baseUrl}/api/health`).then((r) => r.ok), opts.timeoutMs ?? 120_000);
  return proc;
}

/**
 * scripts/worker.ts with a fixed worker id; resolves once it has opened the database and runs. Run as
 * production runs it (`node --import tsx`, one process): the tsx CLI wraps the script in a child and
 * exits 143 when that child does not acknowledge a SIGTERM within 30 ms, as on a loaded machine.
 */
export async function startWorker(
  opts: DeploymentEnv & { workerId: string; pollMs?: number; timeoutMs?: number },
): Promise<ManagedProcess> {
  const env = { ...baseEnv(opts), SKJOLD_WORKER_ID: opts.workerId, SKJOLD_WORKER_POLL_MS: String(opts.pollMs ?? 500) };
  const proc = spawnLogged({ name: opts.workerId, runId: opts.runId, argv: ["--import", "tsx", "scripts/worker.ts"], env });
  const running = `[worker ${opts.workerId}] running`;
  await waitUntil(proc, "start", async () => readFileSync(proc.logFile, "utf8").includes(running), opts.timeoutMs ?? 120_000);
  return proc;
}

export interface StopResult {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** true when SIGTERM was not enough within the timeout */
  killed: boolean;
}

/** SIGTERM, then SIGKILL after `timeoutMs`; already-exited processes report how they ended. */
function stopProcess(proc: ManagedProcess, timeoutMs = 30_000): Promise<StopResult> {
  const { child } = proc;
  const result = (killed: boolean): StopResult => ({ name: proc.name, code: child.exitCode, signal: child.signalCode, killed });
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(result(false));
  return new Promise((resolve) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(result(killed));
    });
    child.kill("SIGTERM");
  });
}

/** Stops all given processes at once (afterAll); never throws. */
export async function stopProcesses(procs: readonly (ManagedProcess | undefined)[], timeoutMs?: number): Promise<StopResult[]> {
  return Promise.all(procs.filter((p): p is ManagedProcess => p !== undefined).map((p) => stopProcess(p, timeoutMs)));
}

/**
 * Holds /tmp/skjold-build.lock shared while portals serve, so a `flock … next build` elsewhere waits
 * instead of replacing .next under a running `next start`. Release with `release()`.
 */
export function holdBuildLockShared(): Promise<{ release(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn("flock", ["-s", "/tmp/skjold-build.lock", "-c", "echo held; exec cat"], { stdio: ["pipe", "pipe", "inherit"] });
    child.once("error", reject);
    child.stdout!.once("data", () => resolve({ release: () => child.stdin!.end() }));
  });
}
