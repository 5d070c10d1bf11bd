// Prints what a database outage looks like to the app's DB layer (lib/db/connect.ts, kind "postgres"):
// a closed port, and a server stopped under an open pool. `isDatabaseUnavailable` is built on these.
// Run: node --import tsx scripts/dev/db-outage-shapes.ts (as root: it starts its own PostgreSQL).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { openDatabase } from "../../lib/db/connect";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { freePort, startThrowawayPostgres } from "../../tests/helpers/throwaway-pg";

function shape(label: string, err: unknown): void {
  const seen = new Set<unknown>();
  let e: unknown = err;
  let depth = 0;
  while (e && typeof e === "object" && !seen.has(e) && depth < 5) {
    seen.add(e);
    const o = e as Record<string, unknown>;
    const own = Object.fromEntries(
      Object.getOwnPropertyNames(o)
        .filter((k) => k !== "stack")
        .map((k) => [k, o[k]]),
    );
    console.log(
      `${"  ".repeat(depth)}${label} [${o.constructor?.name}]`,
      JSON.stringify(own, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
    );
    e = o.cause;
    label = "cause";
    depth++;
  }
}

const closed = await freePort();
await openDatabase({ kind: "postgres", url: `postgres://postgres@127.0.0.1:${closed}/postgres` }).catch((e) =>
  shape("openDatabase, closed port", e),
);

const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${closed}/postgres` });
const prismaClosed = new PrismaClient({ adapter: new PrismaPg(pool) });
await prismaClosed.user.count().catch((e) => shape("prisma query, closed port", e));
await prismaClosed.$transaction(async (tx) => tx.user.count()).catch((e) => shape("prisma $transaction, closed port", e));
await prismaClosed.$queryRaw`SELECT 1`.catch((e) => shape("prisma $queryRaw, closed port", e));
await pool.end();

const server = await startThrowawayPostgres();
try {
  const db = await openDatabase({ kind: "postgres", url: server.url, poolSize: 2 });
  await db.prisma.user.count();
  // A query in flight while the server shuts down (fast: 57P01 admin_shutdown to the backend).
  const inflight = db.prisma.$queryRaw`SELECT pg_sleep(5)`.catch((e) => shape("prisma query in flight during stop", e));
  await new Promise((r) => setTimeout(r, 300));
  server.stop("fast");
  await inflight;
  await db.prisma.user.count().catch((e) => shape("prisma query, server stopped", e));
  await db.prisma.$transaction(async (tx) => tx.user.count()).catch((e) => shape("prisma $transaction, server stopped", e));
  await db.sql.query("SELECT 1").catch((e) => shape("raw pg pool, server stopped", e));
  server.start();
  console.log("after restart:", await db.prisma.user.count());
  // Idle connections killed by the server (immediate stop), then a query.
  server.stop("immediate");
  await db.prisma.user.count().catch((e) => shape("prisma query after immediate stop", e));
  await db.close().catch(() => undefined);
} finally {
  server.destroy();
}
