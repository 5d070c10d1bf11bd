#!/usr/bin/env node
// Supply-chain gate (seed §2): audits the production dependencies in package-lock.json and fails on
// a HIGH or CRITICAL advisory that has a fix. An advisory without a fix is reported, not fatal:
// nothing can be upgraded yet, and the report keeps it visible.
//
//   node scripts/audit-deps.mjs                 runs `npm audit --omit=dev --json` in the repository
//   node scripts/audit-deps.mjs --report FILE   judges a saved `npm audit --json` report instead
//
// Exit codes: 0 no blocking advisory · 1 blocking advisory · 2 the registry's audit endpoint could
// not be used (NOT a pass: nothing was checked) · 3 usage error, no lockfile or unreadable output.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const EXIT = { clean: 0, blocking: 1, unavailable: 2, error: 3 };
const BLOCKING_SEVERITIES = new Set(["high", "critical"]);

/** Reads npm's JSON output: an audit report, or the error npm prints when the endpoint failed. */
export function classifyAuditOutput(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "error", reason: `npm audit printed no JSON: ${text.trim().slice(0, 200) || "(nothing)"}` };
  }
  if (json && typeof json === "object" && json.auditReportVersion === 2 && json.vulnerabilities) {
    return { kind: "report", ...judgeReport(json) };
  }
  if (json && typeof json === "object" && ("error" in json || "statusCode" in json || "message" in json)) {
    const detail = [json.message ?? json.statusCode, json.error?.code, json.error?.summary].filter(Boolean).join(" ");
    return { kind: "unavailable", reason: detail || "npm audit reported an error without details" };
  }
  return { kind: "error", reason: "unrecognised npm audit output (expected auditReportVersion 2)" };
}

/** Splits vulnerabilities into those that must block a release and those only reported. */
export function judgeReport(report) {
  const blocking = [];
  const tolerated = [];
  for (const v of Object.values(report.vulnerabilities)) {
    const advisories = (v.via ?? []).filter((via) => typeof via === "object").map((via) => `${via.title} (${via.url})`);
    const fix =
      v.fixAvailable === false ? undefined : v.fixAvailable === true ? "npm audit fix" : `${v.fixAvailable.name}@${v.fixAvailable.version}`;
    const entry = {
      name: v.name,
      severity: v.severity,
      range: v.range,
      fix,
      advisories,
      via: (v.via ?? []).filter((x) => typeof x === "string"),
    };
    (BLOCKING_SEVERITIES.has(v.severity) && fix ? blocking : tolerated).push(entry);
  }
  return { blocking, tolerated, dependencies: report.metadata?.dependencies?.prod };
}

function describe(entry) {
  const source = entry.advisories.length ? entry.advisories.join("; ") : `through ${entry.via.join(", ")}`;
  return `  ${entry.severity.toUpperCase()} ${entry.name} ${entry.range}: ${source}; fix: ${entry.fix ?? "none yet"}`;
}

function runNpmAudit(cwd) {
  if (!existsSync(path.join(cwd, "package-lock.json"))) {
    return { error: `no package-lock.json in ${cwd}: commit the lockfile so that builds and audits see the same tree` };
  }
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["audit", "--omit=dev", "--json"], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { error: `could not run npm: ${r.error.message}` };
  return { output: r.stdout };
}

export function auditDependencies({ cwd, reportFile }) {
  const source = reportFile ? { output: readFileSync(reportFile, "utf8") } : runNpmAudit(cwd);
  if (source.error) return { code: EXIT.error, lines: [`audit-deps: ${source.error}`] };
  const result = classifyAuditOutput(source.output);
  if (result.kind === "error") return { code: EXIT.error, lines: [`audit-deps: ${result.reason}`] };
  if (result.kind === "unavailable") {
    return {
      code: EXIT.unavailable,
      lines: [
        `audit-deps: UNAVAILABLE: the registry's audit endpoint could not be used (${result.reason}).`,
        "audit-deps: no advisory was checked; this is not a pass. Run it where the registry serves /-/npm/v1/security/advisories/bulk.",
      ],
    };
  }
  const lines = [`audit-deps: ${result.dependencies ?? "?"} production dependencies audited`];
  if (result.tolerated.length) lines.push("reported, not blocking (below HIGH, or no fix yet):", ...result.tolerated.map(describe));
  if (result.blocking.length) {
    lines.push(`FAIL: ${result.blocking.length} HIGH/CRITICAL advisories with a fix:`, ...result.blocking.map(describe));
    return { code: EXIT.blocking, lines };
  }
  lines.push("PASS: no HIGH or CRITICAL advisory with a fix");
  return { code: EXIT.clean, lines };
}

function main(argv) {
  const at = argv.indexOf("--report");
  if (at !== -1 && !argv[at + 1]) {
    console.error("usage: audit-deps.mjs [--report npm-audit.json]");
    return EXIT.error;
  }
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const { code, lines } = auditDependencies({ cwd: repo, reportFile: at === -1 ? undefined : argv[at + 1] });
  (code === EXIT.clean ? console.log : console.error)(lines.join("\n"));
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main(process.argv.slice(2)));
