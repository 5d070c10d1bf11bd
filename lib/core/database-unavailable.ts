// Recognises "the database cannot be reached" among thrown values, as they really look (see
// scripts/dev/db-outage-shapes.ts, which prints them against a closed port and a stopped server):
// - pg, raw: a socket error (ECONNREFUSED, ECONNRESET…), "Connection terminated unexpectedly",
//   "Client has encountered a connection error and is not queryable" (a transaction's client after it broke),
//   pg-pool's connect timeout, or a server error of class 08 (connection exception) or 57P01–57P03
//   (admin/crash shutdown, cannot connect now) or 53300 (too many connections);
// - Prisma 7 over @prisma/adapter-pg: P1001 (cannot reach), P1002, P1017 (server closed the
//   connection), or any code (P2010 for raw queries) whose meta.driverAdapterError.cause has a
//   connection kind (DatabaseNotReachable, ConnectionClosed, SocketTimeout, TooManyConnections) or
//   carries one of the server codes above.
// Host SSH failures never reach here as raw socket errors (lib/ssh classifies them into AppError),
// and ssh2's own errors carry `level`, which this refuses, so a host outage is never called a database one.

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGES = [
  /^Connection terminated$/,
  /Connection terminated (unexpectedly|due to connection timeout)/,
  /timeout exceeded when trying to connect/,
  // pg, a client of an open transaction whose connection broke: every later query on it says so
  // (seen in CI when PostgreSQL stopped while a team was being created).
  /^Client has encountered a connection error and is not queryable$/,
];

function isServerConnectionCode(code: unknown): boolean {
  return (
    typeof code === "string" && (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300")
  );
}

function looksUnavailable(o: Record<string, unknown>): boolean {
  const code = o.code;
  if (typeof code === "string" && PRISMA_CODES.has(code)) return true;
  if (typeof code === "string" && SOCKET_CODES.has(code) && o.level === undefined) return true;
  // pg's server errors carry a severity; a Prisma error carries the server code in its adapter cause instead.
  if (typeof o.severity === "string" && isServerConnectionCode(code)) return true;
  const cause = (o.meta as { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } } | undefined)
    ?.driverAdapterError?.cause;
  if (cause) {
    if (typeof cause.kind === "string" && ADAPTER_KINDS.has(cause.kind)) return true;
    if (cause.kind === "postgres" && (isServerConnectionCode(cause.code) || isServerConnectionCode(cause.originalCode))) return true;
  }
  return typeof o.message === "string" && MESSAGES.some((re) => re.test(o.message as string));
}

/** True when `err` (or anything in its cause chain, or an AggregateError's members) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    if (looksUnavailable(o)) return true;
    queue.push(o.cause);
    if (Array.isArray(o.errors)) queue.push(...o.errors);
  }
  return false;
}
