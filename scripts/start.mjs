#!/usr/bin/env node
// `npm start`: builds the portal when the checkout changed since the last build, then serves it.
// On first run the embedded database is created under ./data, migrated and seeded, and the first
// admin's password is printed once (or taken from SKJOLD_ADMIN_PASSWORD).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";
const next = path.join(root, "node_modules/next/dist/bin/next");

function sourceStamp() {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync(
      "git",
      [
        "status",
        "--porcelain",
        "--",
        "app",
        "lib",
        "components",
        "prisma",
        "proxy.ts",
        "instrumentation.ts",
        "next.config.js",
        "package-lock.json",
      ],
      { encoding: "utf8" },
    );
    return dirty ? `${head}+${Date.now()}` : head;
  } catch {
    return "unknown";
  }
}

const stampFile = path.join(root, ".next", "skjold-source");
const stamp = sourceStamp();
// Without git (an installed copy, a container image) a finished build is taken as it is.
const hasBuild = existsSync(path.join(root, ".next", "BUILD_ID"));
const built = hasBuild && (stamp === "unknown" || (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp));
if (!built || process.argv.includes("--rebuild")) {
  console.log("[skjold] building the portal (first run or changed sources)…");
  execFileSync(process.execPath, [next, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  writeFileSync(stampFile, stamp);
}

const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  SKJOLD_DATA_DIR: path.resolve(process.env.SKJOLD_DATA_DIR ?? "data"),
  SKJOLD_PUBLIC_URL: process.env.SKJOLD_PUBLIC_URL ?? `http://localhost:${port}`,
};
const child = spawn(process.execPath, [next, "start", "-p", port, "-H", host], { stdio: ["ignore", "pipe", "inherit"], env });
let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(String(chunk))) {
    announced = true;
    fetch(`http://${host}:${port}/api/health`)
      .then((r) => r.json())
      .then((h) => console.log(`\n[skjold] portal ready at ${env.SKJOLD_PUBLIC_URL} (database: ${h.database ?? "?"})\n`))
      .catch((e) => console.error(`[skjold] health check failed: ${e.message}`));
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
