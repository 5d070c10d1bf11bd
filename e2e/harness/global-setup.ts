import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { holdBuildLockShared } from "./processes";

// Builds the portal once, starts it on a fresh embedded database with a known admin password, and
// hands its URL to the specs. The specs drive Debian's Chromium through playwright-core.

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminEmail: string;
    adminPassword: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
let server: ChildProcess | undefined;
let dataDirInUse: string | undefined;
let buildLock: { release(): void } | undefined;

/** A free loopback port, so that several e2e runs on one machine do not meet. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`portal did not answer ${url}/api/health within ${ms} ms`);
}

export async function setup(project: TestProject) {
  const next = path.join(root, "node_modules/next/dist/bin/next");
  if (!process.env.SKJOLD_E2E_SKIP_BUILD || !existsSync(path.join(root, ".next/BUILD_ID"))) {
    // Serialised with any other build on this machine (several engineers, one .next folder).
    const b = spawnSync("flock", ["/tmp/skjold-build.lock", process.execPath, next, "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    });
    if (b.status !== 0) throw new Error("next build failed");
  }
  // Hold the build lock shared while the portal runs: another build must not swap .next under it.
  buildLock = await holdBuildLockShared();
  const PORT = Number(process.env.SKJOLD_E2E_PORT ?? (await freePort()));
  const dataDir = path.join(root, `.skjold/e2e-data-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  dataDirInUse = dataDir;
  const adminEmail = "admin@e2e.skjold.test";
  const adminPassword = "e2e-admin-password-0001";
  const baseUrl = `http://127.0.0.1:${PORT}`;
  server = spawn(process.execPath, [next, "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      SKJOLD_DATA_DIR: dataDir,
      SKJOLD_ADMIN_EMAIL: adminEmail,
      SKJOLD_ADMIN_PASSWORD: adminPassword,
      SKJOLD_PUBLIC_URL: baseUrl,
    },
  });
  await waitForHealth(baseUrl, 120_000);
  project.provide("baseUrl", baseUrl);
  project.provide("adminEmail", adminEmail);
  project.provide("adminPassword", adminPassword);
}

export async function teardown() {
  if (!server) return;
  server.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  if (server.exitCode === null) server.kill("SIGKILL");
  if (dataDirInUse) rmSync(dataDirInUse, { recursive: true, force: true });
  buildLock?.release();
}
