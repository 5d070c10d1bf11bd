#!/usr/bin/env node
// `npm test`: the whole suite, in the order a failure is cheapest to find.
//   1. type check, cycle check, format and lint   2. unit tests   3. lab host + guest image (root only; idempotent)
//   4. integration tests (both databases, real sshd/libvirt/guest)   5. end-to-end in Chromium
// Prints one closing line "N passed, N failed" summed over every runner.
// Flags: --skip-lab (no libvirt lab: tests that need it fail loudly), --only unit|integration|e2e
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const want = (stage) => !only || only === stage;
const reports = path.join(root, ".skjold", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0,
  failed = 0,
  skipped = 0;
const failures = [];
const flaky = []; // passed only on vitest's retry
const slowest = []; // per project: the files that took longest

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n━━ ${label}: ${cmd} ${cmdArgs.join(" ")}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) failures.push(`${label} (exit ${r.status ?? r.signal})`);
  return r.status === 0;
}

function vitest(project) {
  const out = path.join(reports, `${project}.json`);
  run(`${project} tests`, process.execPath, [
    "node_modules/vitest/vitest.mjs",
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${out}`,
  ]);
  if (!existsSync(out)) {
    failed += 1;
    return;
  }
  const r = JSON.parse(readFileSync(out, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  if (r.numTotalTests === 0) failures.push(`${project}: no tests ran`);
  // Where the run's minutes went: the CI budget is spent by a few files that boot guests.
  const spent = (r.testResults ?? [])
    .map((f) => ({ name: path.relative(root, f.name), s: ((f.endTime ?? 0) - (f.startTime ?? 0)) / 1000 }))
    .sort((a, b) => b.s - a.s);
  const total = spent.reduce((sum, f) => sum + f.s, 0);
  slowest.push(`${project}: ${Math.round(total)} s in ${spent.length} files; slowest:`);
  for (const f of spent.slice(0, 12)) slowest.push(`  ${f.s.toFixed(0).padStart(5)} s  ${f.name}`);
  // Name every failed test in the closing summary: a CI log is often read from its tail only.
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === "passed" && (t.failureMessages ?? []).length > 0) {
        const first = String(t.failureMessages[0]).split("\n")[0].slice(0, 300);
        flaky.push(`${project}: ${path.relative(root, file.name)} > ${t.fullName}\n      ${first}`);
        continue;
      }
      if (t.status !== "failed") continue;
      const where = path.relative(root, file.name);
      const why = String(t.failureMessages?.[0] ?? "")
        .split("\n")[0]
        .slice(0, 300);
      failures.push(`${project}: ${where} > ${t.fullName}\n      ${why}`);
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === "failed") {
      failures.push(`${project}: ${path.relative(root, file.name)} failed to run: ${String(file.message ?? "").slice(0, 300)}`);
    }
  }
}

if (want("unit")) {
  if (!run("type check", process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."])) failed += 1;
  else passed += 1;
  if (!run("cycle check", process.execPath, ["scripts/check-cycles.mjs"])) failed += 1;
  else passed += 1;
  // Formatting and lint rules (biome.json): `npm run format` fixes the formatting, `npm run lint` shows the rest.
  if (!run("format and lint", "node_modules/.bin/biome", ["ci", "--reporter=summary", "."])) failed += 1;
  else passed += 1;
  vitest("unit");
}
if (want("integration")) {
  if (!args.includes("--skip-lab") && process.getuid?.() === 0) {
    if (existsSync("scripts/lab-host")) run("lab host", "bash", ["scripts/lab-host", "up", "--hosts", "2"]);
    if (existsSync("scripts/build-guest-image")) run("guest image", "bash", ["scripts/build-guest-image"]);
  }
  vitest("integration");
}
if (want("e2e")) vitest("e2e");

if (slowest.length) console.log(`\n━━ time\n${slowest.join("\n")}`);
if (flaky.length) console.log(`\n━━ flaky (failed once, passed on retry)\n  - ${flaky.join("\n  - ")}`);
console.log(`\n━━ summary${failures.length ? `\nproblems:\n  - ${failures.join("\n  - ")}` : ""}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
