import { spawn } from "node:child_process";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// deploy/healthcheck.mjs is what Docker and Kubernetes run to decide whether a container lives.
// It runs here as a process against loopback servers that play the portal and the database.

const SCRIPT = path.resolve(import.meta.dirname, "../../deploy/healthcheck.mjs");

function check(mode: string, env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const clean = { ...process.env, PORT: undefined, DATABASE_URL: undefined, SKJOLD_HEALTHCHECK_TIMEOUT_MS: "1500", ...env };
    const child = spawn(process.execPath, [SCRIPT, mode], { env: clean as NodeJS.ProcessEnv });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

const listen = async (server: net.Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
};
const closedPort = async () => {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};

let status = 200;
const portal = http.createServer((req, res) => {
  res.statusCode = req.url === "/api/health" ? status : 404;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ ok: status === 200 }));
});
const database = net.createServer((socket) => socket.end());
let portalPort = 0;
let databasePort = 0;

beforeAll(async () => {
  portalPort = await listen(portal);
  databasePort = await listen(database);
});
afterAll(async () => {
  await new Promise((r) => portal.close(r));
  await new Promise((r) => database.close(r));
});

describe("healthcheck portal", () => {
  it("is healthy when /api/health answers 200 with JSON", async () => {
    status = 200;
    const r = await check("portal", { PORT: String(portalPort) });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/healthy: .*\/api\/health answered 200/);
  });
  it("is unhealthy when the portal answers an error", async () => {
    status = 503;
    const r = await check("portal", { PORT: String(portalPort) });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/answered 503/);
  });
  it("is unhealthy when nothing listens", async () => {
    const r = await check("portal", { PORT: String(await closedPort()) });
    expect(r.code).toBe(1);
  });
});

describe("healthcheck worker", () => {
  it("is healthy when the database accepts connections", async () => {
    const r = await check("worker", { DATABASE_URL: `postgresql://skjold:pw@127.0.0.1:${databasePort}/skjold` });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(`127.0.0.1:${databasePort} accepts connections`);
  });
  it("is unhealthy when the database does not answer, or is not configured", async () => {
    expect((await check("worker", { DATABASE_URL: `postgresql://skjold@127.0.0.1:${await closedPort()}/skjold` })).code).toBe(1);
    const unset = await check("worker", {});
    expect(unset.code).toBe(1);
    expect(unset.out).toMatch(/DATABASE_URL is not set/);
  });
});

it("refuses an unknown mode with a usage error", async () => {
  expect((await check("database", {})).code).toBe(2);
});
