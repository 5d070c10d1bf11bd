import { describe, expect, it, vi } from "vitest";
import { isDatabaseUnavailable } from "@/lib/core/database-unavailable";
import { AppError, toPublicError } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";

// What the wrapper answers for a body of the wrong type and for a database outage. The outage shapes
// are the ones scripts/dev/db-outage-shapes.ts printed from lib/db/connect.ts (pg 8 + @prisma/adapter-pg 7).

const post = (body: string | undefined, contentType?: string) =>
  new Request("http://portal.test/api/v1/x", { method: "POST", body, headers: contentType ? { "content-type": contentType } : {} });

describe("readJsonBody", () => {
  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON"])("reads %s", async (type) => {
    expect(await readJsonBody(post('{"a":1}', type))).toEqual({ a: 1 });
  });

  it.each([
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
  ])("refuses %s with 415 naming the expected type", async (type) => {
    const err = await readJsonBody(post('{"a":1}', type)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(415);
    expect((err as AppError).message).toMatch(/accepts only application\/json/);
  });

  it("reads no body and no type as {}, and refuses a body with no type", async () => {
    expect(await readJsonBody(new Request("http://portal.test/x", { method: "POST" }))).toEqual({});
    const req = new Request("http://portal.test/x", { method: "POST", body: '{"a":1}' });
    req.headers.delete("content-type");
    expect(((await readJsonBody(req).catch((e: unknown) => e)) as AppError).status).toBe(415);
  });
});

describe("a database outage is a 503", () => {
  const adapter = (cause: Record<string, unknown>) => ({ meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });
  const prismaError = (props: Record<string, unknown>) => Object.assign(new Error("Invalid `prisma.user.count()` invocation"), props);
  const socket = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: "connect" });

  const outages: Array<[string, unknown]> = [
    ["pg: connection refused", socket("ECONNREFUSED")],
    ["pg: connection reset", socket("ECONNRESET")],
    ["pg: both localhost addresses refused", Object.assign(new AggregateError([socket("ECONNREFUSED")]), { code: "ECONNREFUSED" })],
    [
      "pg: admin_shutdown",
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01", severity: "FATAL" }),
    ],
    ["pg: cannot connect now", Object.assign(new Error("the database system is starting up"), { code: "57P03", severity: "FATAL" })],
    ["pg: connection terminated", new Error("Connection terminated unexpectedly")],
    ["pg-pool: connect timeout", new Error("timeout exceeded when trying to connect")],
    ["pg: a transaction's client after its connection broke", new Error("Client has encountered a connection error and is not queryable")],
    ["Prisma P1001", prismaError({ code: "P1001", ...adapter({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }) })],
    ["Prisma P1017", prismaError({ code: "P1017" })],
    ["Prisma raw query, not reachable", prismaError({ code: "P2010", ...adapter({ kind: "DatabaseNotReachable" }) })],
    ["Prisma, connection closed", prismaError({ code: "P2010", ...adapter({ kind: "ConnectionClosed" }) })],
    ["Prisma, 57P01 in flight", prismaError({ code: "P2010", ...adapter({ kind: "postgres", code: "57P01", originalCode: "57P01" }) })],
    ["Prisma, too many connections", prismaError({ code: "P2037", ...adapter({ kind: "TooManyConnections" }) })],
    ["wrapped in a cause", new Error("loading the team failed", { cause: socket("ECONNREFUSED") })],
  ];

  it.each(outages)("%s → 503 UNAVAILABLE with Retry-After, logged with its id", (_label, err) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const r = toPublicError(err);
    expect(r.status).toBe(503);
    expect(r.headers["retry-after"]).toBe("5");
    expect(r.body.error.code).toBe("UNAVAILABLE");
    expect(r.body.error.message).toContain(r.body.error.correlationId);
    expect(log).toHaveBeenCalledWith(`[skjold] unexpected error ${r.body.error.correlationId}:`, expect.any(String));
    log.mockRestore();
  });

  const notOutages: Array<[string, unknown]> = [
    ["a bug", new TypeError("cannot read properties of undefined")],
    ["a unique violation", prismaError({ code: "P2002", ...adapter({ kind: "UniqueConstraintViolation" }) })],
    ["a syntax error from the server", Object.assign(new Error("syntax error"), { code: "42601", severity: "ERROR" })],
    ["an ssh2 socket error (a host, not the database)", Object.assign(socket("ECONNREFUSED"), { level: "client-socket" })],
  ];

  it.each(notOutages)("%s stays a 500", (_label, err) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect(toPublicError(err).status).toBe(500);
    log.mockRestore();
  });

  it("keeps a host that cannot be reached a 502: an AppError is never reclassified", () => {
    const err = new AppError("HOST_UNREACHABLE", "lab-1 refused the connection", { cause: socket("ECONNREFUSED") });
    expect(toPublicError(err)).toMatchObject({ status: 502, headers: {} });
  });
});
