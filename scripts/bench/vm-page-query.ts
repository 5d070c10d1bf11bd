// The query behind a page of a team's VMs (issue 12), in-process and without HTTP, so the figure is
// the query's own: the inline five-table join sent as a statement of its own each time (what
// listVms sent until 2026-12-07, and what Prisma's adapters do: unnamed statements, parsed and
// planned on every call) against the same join inside the PL/pgSQL function skjold_vm_page (planned
// once per connection), with `SELECT 1` as the floor. A team of 1,000 VMs, on the embedded database
// and on PostgreSQL at 127.0.0.1:5432; the first page and the last one (through a cursor). The three
// take turns in blocks of --calls, --rounds times; the figure is the median of each's ms per call.
// Run: npx tsx scripts/bench/vm-page-query.ts [--calls 300] [--rounds 5]
import path from "node:path";
import { openDatabase, type Database } from "@/lib/db/connect";
import { numberArg, prepareDatabase, type DbKind } from "./portal-harness";

const CALLS = numberArg("calls", 300);
const ROUNDS = numberArg("rounds", 5);
const root = path.resolve(import.meta.dirname, "../..");

const INLINE = (position: string) => `
  SELECT v."id", v."name", v."state"::text AS "state", v."vcpus", v."memoryMb", v."diskGb", v."sshHost", v."sshPort",
         v."ipAddress", v."ipv6Address", v."ipv6Prefix", v."adminUser", v."lastError", v."createdAt", v."readyAt", v."deletedAt",
         r."code" AS "region_code", r."name" AS "region_name", r."city" AS "region_city", r."country" AS "region_country",
         r."jurisdiction"::text AS "region_jurisdiction", p."code" AS "plan_code", p."name" AS "plan_name",
         i."slug" AS "image_slug", i."name" AS "image_name", h."name" AS "host_name"
  FROM "VirtualMachine" v
  JOIN "Region" r ON r."id" = v."regionId"
  JOIN "Plan" p ON p."id" = v."planId"
  JOIN "Image" i ON i."id" = v."imageId"
  LEFT JOIN "Host" h ON h."id" = v."hostId"
  WHERE v."teamId" = $1::uuid ${position}
  ORDER BY v."createdAt" DESC, v."id" DESC
  LIMIT 50`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < CALLS; i++) await fn();
  return (performance.now() - t) / CALLS;
}

async function benchOne(kind: DbKind) {
  const { seeded, cleanup } = await prepareDatabase(kind, 1000);
  const db: Database =
    kind === "embedded"
      ? await openDatabase({ kind: "embedded", dataDir: path.join(root, ".skjold/bench-data/pglite") })
      : await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/skjold_bench", poolSize: 1 });
  try {
    await db.sql.exec("ANALYZE");
    const team = await db.prisma.team.findUniqueOrThrow({ where: { slug: seeded.slug } });
    const [after] = await db.prisma.$queryRaw<{ createdAt: Date; id: string }[]>`
      SELECT "createdAt", "id" FROM "VirtualMachine" WHERE "teamId" = ${team.id}::uuid ORDER BY "createdAt" DESC, "id" DESC OFFSET 949 LIMIT 1`;
    const at = after!.createdAt.toISOString();
    const cases = {
      "SELECT 1": () => db.prisma.$queryRawUnsafe("SELECT 1"),
      "first page, inline": () => db.prisma.$queryRawUnsafe(INLINE(""), team.id),
      "first page, function": () => db.prisma.$queryRaw`SELECT * FROM skjold_vm_page(${team.id}::uuid, false, NULL, NULL, 50)`,
      "first page, function as one json": async () => {
        const [row] = await db.prisma.$queryRaw<{ page: string }[]>`
          SELECT coalesce(json_agg(p ORDER BY p."createdAt" DESC, p."id" DESC), '[]')::text AS page FROM skjold_vm_page(${team.id}::uuid, false, NULL, NULL, 50) p`;
        return JSON.parse(row!.page);
      },
      "last page, inline": () =>
        db.prisma.$queryRawUnsafe(INLINE(`AND (v."createdAt", v."id") < ($2::timestamp(3), $3::uuid)`), team.id, at, after!.id),
      "last page, function": () =>
        db.prisma.$queryRaw`SELECT * FROM skjold_vm_page(${team.id}::uuid, false, ${at}::timestamp(3), ${after!.id}::uuid, 50)`,
    };
    for (const fn of Object.values(cases)) for (let i = 0; i < 30; i++) await fn(); // warm both paths
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of Object.entries(cases)) ms[name]!.push(await timed(fn));
    return { kind, ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)])) };
  } finally {
    await db.close();
    await cleanup();
  }
}

console.log(`VM page query: a team of 1,000 VMs, ${CALLS} calls per block, ${ROUNDS} rounds, ${new Date().toISOString()}`);
console.log("| database | query | ms per call (median) | × inline |");
console.log("|---|---|---|---|");
for (const kind of process.argv.includes("--embedded-only") ? (["embedded"] as const) : (["embedded", "postgres"] as const)) {
  const { ms } = await benchOne(kind);
  for (const [name, v] of Object.entries(ms)) {
    const inline = name.startsWith("first") ? ms["first page, inline"]! : name.startsWith("last") ? ms["last page, inline"]! : null;
    console.log(`| ${kind} | ${name} | ${v.toFixed(3)} | ${inline ? (v / inline).toFixed(2) : ""} |`);
  }
}
