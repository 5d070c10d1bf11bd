#!/usr/bin/env node
// Container health check with no tools beyond Node (the runtime image has no curl, no shell tools we
// rely on). Used by the Dockerfile HEALTHCHECK, docker-compose.yml and the Kubernetes exec probes.
//
//   node deploy/healthcheck.mjs portal   GET http://127.0.0.1:$PORT/api/health must answer 200 with JSON
//   node deploy/healthcheck.mjs worker   the database in $DATABASE_URL must accept a TCP connection
//
// Exit 0 when healthy, 1 when not, 2 on a usage error. One line on stdout/stderr says why.
import net from "node:net";
import { pathToFileURL } from "node:url";

const TIMEOUT_MS = Number(process.env.SKJOLD_HEALTHCHECK_TIMEOUT_MS ?? 4000);

export async function checkPortal({ port = process.env.PORT ?? "3000", timeoutMs = TIMEOUT_MS } = {}) {
  const url = `http://127.0.0.1:${port}/api/health`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return { ok: false, detail: `${url} answered ${res.status}` };
    await res.json();
    return { ok: true, detail: `${url} answered 200` };
  } catch (err) {
    return { ok: false, detail: `${url}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function databaseAddress(databaseUrl) {
  if (!databaseUrl) return undefined;
  const url = new URL(databaseUrl);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 5432) };
}

export async function checkWorker({ databaseUrl = process.env.DATABASE_URL, timeoutMs = TIMEOUT_MS } = {}) {
  let address;
  try {
    address = databaseAddress(databaseUrl);
  } catch {
    return { ok: false, detail: "DATABASE_URL is not a valid URL" };
  }
  if (!address) return { ok: false, detail: "DATABASE_URL is not set: a separate worker needs PostgreSQL" };
  const where = `${address.host}:${address.port}`;
  return new Promise((resolve) => {
    const socket = net.connect(address);
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: `database ${where}: no answer in ${timeoutMs} ms` }));
    socket.once("connect", () => done({ ok: true, detail: `database ${where} accepts connections` }));
    socket.once("error", (err) => done({ ok: false, detail: `database ${where}: ${err.message}` }));
  });
}

const CHECKS = { portal: checkPortal, worker: checkWorker };

async function main() {
  const check = CHECKS[process.argv[2] ?? ""];
  if (!check) {
    console.error(`usage: healthcheck.mjs ${Object.keys(CHECKS).join("|")}`);
    process.exit(2);
  }
  const result = await check();
  (result.ok ? console.log : console.error)(`${result.ok ? "healthy" : "unhealthy"}: ${result.detail}`);
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
