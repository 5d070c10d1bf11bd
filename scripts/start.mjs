#!/usr/bin/env node
// `npm start`: builds the portal when the checkout changed since the last build, then serves it.
// On first run the embedded database is created under ./data, migrated and seeded, and the first
// admin's password is printed once (or taken from SKJOLD_ADMIN_PASSWORD).
// `npm start -- --lab [--hosts N]` (root): first sets up this machine's lab host(s) and guest image,
// and onboards them into the portal before it serves (docs/lab-host.md). Without --lab: unchanged.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";
const next = path.join(root, "node_modules/next/dist/bin/next");
const lab = process.argv.includes("--lab");
const labHosts = process.argv.includes("--hosts") ? process.argv[process.argv.indexOf("--hosts") + 1] : null;
const LAB_JSON = "/var/lib/skjold-lab/lab.json";

function runOrExit(what, cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`[skjold] lab: ${what} failed (exit ${r.status ?? r.signal}); the portal was not started`);
    process.exit(1);
  }
}

/** The lab host(s) and the guest image, made by the lab's own scripts (both idempotent). */
function setUpLab() {
  if (process.getuid?.() !== 0) {
    console.error("[skjold] --lab needs root: it installs Debian packages, starts libvirtd and an sshd (sudo npm start -- --lab)");
    process.exit(1);
  }
  if (labHosts !== null && !/^[1-4]$/.test(labHosts ?? "")) {
    console.error("[skjold] --hosts takes 1 to 4 (network lab hosts beside the loopback lab host)");
    process.exit(1);
  }
  const netArgs = labHosts ? ["--hosts", labHosts] : [];
  console.log(
    `[skjold] lab: setting up the lab host${labHosts ? ` and ${labHosts} network lab host(s)` : ""} (${["scripts/lab-host up", ...netArgs].join(" ")})…`,
  );
  runOrExit("scripts/lab-host up", "bash", ["scripts/lab-host", "up", ...netArgs, "--quiet"]);
  let image = null;
  try {
    image = JSON.parse(readFileSync(LAB_JSON, "utf8")).image ?? null;
  } catch {
    /* no image yet */
  }
  console.log(
    image && existsSync(image.kernelPath)
      ? "[skjold] lab: guest image: checking its cache (scripts/build-guest-image)…"
      : "[skjold] lab: building the Debian 12 guest image (scripts/build-guest-image): slow the first time, a few minutes of debootstrap; cached under /var/lib/skjold-lab/images afterwards…",
  );
  runOrExit("scripts/build-guest-image", "bash", ["scripts/build-guest-image"]);
}

if (lab) setUpLab();

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
if (lab) {
  // Before the portal starts: the embedded database admits one process at a time.
  console.log("[skjold] lab: onboarding the lab into the portal (host keys from the lab's files, image with its kernel)…");
  runOrExit("onboarding the lab", process.execPath, ["--import", "tsx", "scripts/lab-onboard.ts", ...(labHosts ? ["--network"] : [])], env);
}
const child = spawn(process.execPath, [next, "start", "-p", port, "-H", host], { stdio: ["ignore", "pipe", "inherit"], env });
let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(String(chunk))) {
    announced = true;
    fetch(`http://${host}:${port}/api/health`)
      .then((r) => r.json())
      .then((h) => {
        console.log(`\n[skjold] portal ready at ${env.SKJOLD_PUBLIC_URL} (database: ${h.database ?? "?"})\n`);
        if (lab)
          console.log(
            "[skjold] lab: sign in as the first admin (its password is printed above on the first run), then Teams → Lab → " +
              "Order a VM: region Oslo, image Debian 12. A guest takes about a minute to answer SSH where the host falls back to TCG.\n",
          );
      })
      .catch((e) => console.error(`[skjold] health check failed: ${e.message}`));
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
