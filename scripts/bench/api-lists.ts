// API list benchmark (issue 12): does one page of a team's VM list cost about what a health check does?
// A team of 1,000 VMs on the built portal (`next start`), on the embedded database and on PostgreSQL at
// 127.0.0.1:5432. --clients keep-alive clients for --seconds on each of, in the same run:
//   - GET /api/health: unauthenticated, one SELECT 1: the baseline;
//   - the first 50-row page of GET /api/v1/teams/{slug}/vms with a VIEWER API token;
//   - the last 50-row page (rows 951–1,000, through the cursor the 19th page gave): a keyset page deep in
//     the list should cost what the first does;
//   - the largest page, ?limit=200, for scale.
// Each round runs the four one after another, so load from other work on the machine falls on all of
// them; the figure is the median over the rounds of each route's requests/s over health's in that round.
// Target: the 50-row page at ≥ 0.5× health. Before lists were paged, the whole list (1,000 rows in one
// response) ran at 0.07–0.1× health (docs/benchmarks/portal.md).
// Run: npx tsx scripts/bench/api-lists.ts [--seconds 8] [--clients 50] [--rounds 3] [--embedded-only]   (after `next build`)
import { firstAnswer, type LoadResult, load, numberArg, prepareDatabase, startPortal, stopPortal, type DbKind } from "./portal-harness";

const SECONDS = numberArg("seconds", 8);
const CLIENTS = numberArg("clients", 50);
const ROUNDS = numberArg("rounds", 3);
const PORT = 3291;
const VMS = 1000;
const TARGET = 0.5;

type Page = { items: { id: string }[]; nextCursor: string | null };
const ROUTES = ["health", "first page (50)", "last page (50)", "limit=200"] as const;
type Route = (typeof ROUTES)[number];

/** Walks the whole list once (checking the shape and that every VM comes once) and returns the last page's cursor. */
async function lastPageCursor(base: string, headers: Record<string, string>): Promise<string> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  let before: string | null = null;
  do {
    const r = await fetch(`${base}?limit=50${cursor ? `&cursor=${cursor}` : ""}`, { headers });
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    const page = (await r.json()) as Page;
    if (page.items.length !== 50) throw new Error(`expected 50 rows on every page, got ${page.items.length}`);
    for (const vm of page.items) seen.add(vm.id);
    before = cursor;
    cursor = page.nextCursor;
  } while (cursor);
  if (seen.size !== VMS || !before) throw new Error(`walked ${seen.size} distinct VMs, expected ${VMS}`);
  return before;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function benchOne(kind: DbKind) {
  const { seeded, env, cleanup } = await prepareDatabase(kind, VMS);
  const { child, started } = startPortal({ port: PORT, env });
  try {
    const origin = `http://127.0.0.1:${PORT}`;
    await firstAnswer(`${origin}/api/health`, started);
    const vms = `${origin}/api/v1/teams/${seeded.slug}/vms`;
    const auth = { authorization: `Bearer ${seeded.token}` };
    const last = await lastPageCursor(vms, auth);
    const urls: Record<Route, [string, Record<string, string>]> = {
      health: [`${origin}/api/health`, {}],
      "first page (50)": [vms, auth],
      "last page (50)": [`${vms}?cursor=${last}`, auth],
      "limit=200": [`${vms}?limit=200`, auth],
    };
    for (const route of ROUTES) await load({ url: urls[route][0], headers: urls[route][1], seconds: 2, clients: CLIENTS }); // warm-up
    const rounds: Record<Route, LoadResult>[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = {} as Record<Route, LoadResult>;
      for (const route of ROUTES)
        round[route] = await load({ url: urls[route][0], headers: urls[route][1], seconds: SECONDS, clients: CLIENTS });
      rounds.push(round);
      console.error(
        `${kind} round ${i + 1}: ${ROUTES.map((r) => `${r} ${round[r].rps.toFixed(0)}/s (${(round[r].rps / round.health.rps).toFixed(2)}×)`).join(", ")}`,
      );
    }
    return { kind, rounds };
  } finally {
    await stopPortal(child);
    await cleanup();
  }
}

const results = [];
const only = process.argv.includes("--embedded-only");
for (const kind of only ? (["embedded"] as const) : (["embedded", "postgres"] as const)) results.push(await benchOne(kind));

console.log(
  `\nAPI list benchmark: a team of ${VMS} VMs, ${CLIENTS} concurrent clients, ${SECONDS} s per route per round, ${ROUNDS} rounds, ${new Date().toISOString()}`,
);
console.log("| database | route | req/s (median of rounds) | p99 (median) | × health (median of rounds) | each round | errors |");
console.log("|---|---|---|---|---|---|---|");
const met: Record<string, boolean> = {};
let errors = 0;
for (const { kind, rounds } of results) {
  for (const route of ROUTES) {
    const ratios = rounds.map((r) => r[route].rps / r.health.rps);
    errors += rounds.reduce((n, r) => n + r[route].errors, 0);
    if (route === "first page (50)") met[kind] = median(ratios) >= TARGET;
    console.log(
      `| ${kind} | ${route} | ${median(rounds.map((r) => r[route].rps)).toFixed(0)} | ${median(rounds.map((r) => r[route].p99)).toFixed(0)} ms | ${median(ratios).toFixed(2)} | ${ratios.map((x) => x.toFixed(2)).join(" / ")} | ${rounds.reduce((n, r) => n + r[route].errors, 0)} |`,
    );
  }
}
console.log(
  `\n50-row page ≥ ${TARGET}× health: ${Object.entries(met)
    .map(([kind, ok]) => `${kind} ${ok ? "yes" : "NO"}`)
    .join(", ")}; errors: ${errors}`,
);
process.exit(errors === 0 ? 0 : 1);
