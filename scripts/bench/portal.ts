// Portal benchmark (issue: foundation): cold start of the built portal to the first successful page,
// and resident memory when idle, on the embedded database and on PostgreSQL at 127.0.0.1:5432, each
// seeded with a team of 1,000 VMs. (Until the API's lists were paged, this script also measured the
// 1,000-row VM list against /api/health; that is now scripts/bench/api-lists.ts, on 50-row pages.)
// Run: npx tsx scripts/bench/portal.ts   (needs `next build` first)
import { firstAnswer, prepareDatabase, rssMb, startPortal, stopPortal, type DbKind } from "./portal-harness";

const PORT = 3290;

async function benchOne(kind: DbKind) {
  const { env, cleanup } = await prepareDatabase(kind, 1000);
  const { child, started } = startPortal({ port: PORT, env });
  try {
    const coldMs = await firstAnswer(`http://127.0.0.1:${PORT}/sign-in`, started);
    await new Promise((r) => setTimeout(r, 3000));
    return { kind, coldMs, idleRss: rssMb(child.pid!) };
  } finally {
    await stopPortal(child);
    await cleanup();
  }
}

const results = [];
for (const kind of ["embedded", "postgres"] as const) results.push(await benchOne(kind));
console.log(`\nPortal benchmark, ${new Date().toISOString()}`);
console.log("| database | cold start to first page | idle RSS |");
console.log("|---|---|---|");
for (const r of results) console.log(`| ${r.kind} | ${(r.coldMs / 1000).toFixed(2)} s | ${r.idleRss.toFixed(0)} MiB |`);
process.exit(0);
