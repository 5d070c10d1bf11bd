import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// scripts/audit-deps.mjs runs the real `npm audit` against this repository's lockfile. The registry
// is a loopback server of this test that answers npm's bulk advisory endpoint, so the whole path
// (npm's request, its report, the gate's decision and exit code) is exercised without the Internet.

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/audit-deps.mjs");
const work = mkdtempSync(path.join(tmpdir(), "skjold-audit-"));

function runAudit(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { ...process.env, npm_config_cache: path.join(work, "cache"), npm_config_loglevel: "silent", ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

type Advisories = Record<string, { severity: string; vulnerable_versions: string }[]>;
let advisories: Advisories = {};
let registry: http.Server;
let registryUrl = "";

beforeAll(async () => {
  registry = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && req.url?.startsWith("/-/npm/v1/security/advisories/bulk")) {
        const raw = Buffer.concat(chunks);
        const asked = JSON.parse((req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString()) as Record<
          string,
          string[]
        >;
        const answer = Object.fromEntries(
          Object.entries(advisories)
            .filter(([name]) => name in asked)
            .map(([name, list]) => [
              name,
              list.map((a, i) => ({
                id: 1000 + i,
                url: `https://advisories.invalid/${name}/${i}`,
                title: `test advisory for ${name}`,
                cwe: [],
                cvss: { score: 7.5 },
                ...a,
              })),
            ]),
        );
        res.end(JSON.stringify(answer));
      } else if (req.url === "/yaml") {
        // npm reads the packument to work out whether a fixed version exists.
        const version = (v: string) => ({ name: "yaml", version: v, dist: { tarball: `${registryUrl}yaml/-/yaml-${v}.tgz` } });
        res.end(
          JSON.stringify({
            name: "yaml",
            "dist-tags": { latest: "2.99.0" },
            versions: { "2.9.1": version("2.9.1"), "2.99.0": version("2.99.0") },
          }),
        );
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
  });
  await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((r) => registry.close(r));
  rmSync(work, { recursive: true, force: true });
});

describe("audit-deps with npm against a registry", () => {
  it("fails on a HIGH advisory in a production dependency that has a fix", async () => {
    advisories = { yaml: [{ severity: "high", vulnerable_versions: "<2.99.0" }] };
    const r = await runAudit([], { npm_config_registry: registryUrl });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/HIGH yaml .*fix: yaml@2\.99\.0/);
  });

  it("passes when the registry reports nothing for the production tree", async () => {
    advisories = { vitest: [{ severity: "critical", vulnerable_versions: "*" }] }; // a devDependency
    const r = await runAudit([], { npm_config_registry: registryUrl });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/PASS/);
    expect(r.out).not.toMatch(/vitest/); // devDependencies are not audited
  });

  it("says the audit did not happen when the endpoint is unreachable, with its own exit code", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await runAudit([], { npm_config_registry: `http://127.0.0.1:${port}/` });
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/UNAVAILABLE.*not a pass/s);
  });
});

describe("audit-deps judging a saved report", () => {
  const report = (vulnerabilities: object) => {
    const file = path.join(work, `report-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { dependencies: { prod: 10 } } }));
    return file;
  };
  const vuln = (severity: string, fixAvailable: unknown) => ({
    lib: {
      name: "lib",
      severity,
      range: "<1.2.3",
      fixAvailable,
      via: [{ title: "bad thing", url: "https://advisories.invalid/1", severity }],
    },
  });

  it.each([
    ["critical", true, 1],
    ["high", { name: "lib", version: "1.2.3", isSemVerMajor: true }, 1],
    ["high", false, 0],
    ["moderate", true, 0],
    ["low", true, 0],
  ])("%s advisory with fix %j exits %i", async (severity, fix, code) => {
    const r = await runAudit(["--report", report(vuln(severity, fix))]);
    expect(r.code, r.out).toBe(code);
    expect(r.out).toMatch(new RegExp(`${severity.toUpperCase()} lib <1\\.2\\.3: bad thing`));
  });

  it("treats npm's error object as unavailable and unparseable output as an error", async () => {
    const failed = path.join(work, "failed.json");
    writeFileSync(
      failed,
      JSON.stringify({ message: "405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk", error: { summary: "" } }),
    );
    expect((await runAudit(["--report", failed])).code).toBe(2);
    const garbage = path.join(work, "garbage.json");
    writeFileSync(garbage, "npm ERR! something else");
    expect((await runAudit(["--report", garbage])).code).toBe(3);
  });
});
