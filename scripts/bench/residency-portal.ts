// Residency portal benchmark on PostgreSQL (127.0.0.1:5432, scratch database skjold_bench_resportal).
//   npx tsx scripts/bench/residency-portal.ts [--rows 20000]
// One team with N ledger rows: N/2 disks opened, a quarter of them closed again, N/4 more opened. Baseline: the domain's JSON export read straight from
// its Node stream. Measured against it in the same run: the same report through the HTTP response
// (web stream pulled chunk by chunk, digest recorded in the audit log before the body ends), the PDF
// through the response, and the page's view (held locations, totals, transfers). Median of 5 runs each.
import pg from "pg";
import { openDatabase } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { appendEntries, type NewEntry } from "@/lib/residency/append";
import { exportResidencyReport } from "@/lib/residency/export";
import { createReportResponse } from "@/lib/residency/report-response";
import { readResidencyView } from "@/lib/residency/view";

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = "skjold_bench_resportal";
const rowsArg = process.argv.indexOf("--rows");
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 20_000;

async function recreate(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
}

async function median(runs: number, fn: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    bytes = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(runs / 2)]!, bytes };
}

async function main(): Promise<void> {
  await recreate();
  const db = await openDatabase({ kind: "postgres", url: `postgres://postgres@127.0.0.1:5432/${DB_NAME}`, poolSize: 4 });
  await seedDatabase(db.prisma, { adminPassword: "bench-password-123" });
  const team = await db.prisma.team.create({ data: { slug: "bench", name: "Bench AS" } });
  const regions = ["osl1", "bgo1", "sto1", "fra1"] as const;
  const country = { osl1: ["NO", "NO_EEA"], bgo1: ["NO", "NO_EEA"], sto1: ["SE", "EU"], fra1: ["DE", "EU"] } as const;
  for (let start = 0; start < ROWS; start += 1000) {
    await db.prisma.$transaction(
      async (tx) => {
        const batch: NewEntry[] = [];
        for (let i = start; i < Math.min(ROWS, start + 1000); i++) {
          const r = regions[i % 4]!;
          const base = {
            teamId: team.id,
            teamSlug: team.slug,
            resourceKind: "VM_DISK" as const,
            resourceId: `vm-${i >> 1}`,
            resourceName: `node${i >> 1}`,
            hostName: `${r}-h${i % 7}`,
            poolName: "nvme",
            path: `/srv/node${i >> 1}.qcow2`,
            regionCode: r,
            country: country[r][0],
            jurisdiction: country[r][1],
            effectiveAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
            actor: "bench",
          };
          // Even rows open a disk; odd rows close the previous one (the same identity), so half the stays end.
          batch.push(
            i % 2 === 0
              ? { ...base, action: "OPEN" }
              : {
                  ...base,
                  regionCode: regions[(i - 1) % 4]!,
                  hostName: `${regions[(i - 1) % 4]}-h${(i - 1) % 7}`,
                  country: country[regions[(i - 1) % 4]!][0],
                  jurisdiction: country[regions[(i - 1) % 4]!][1],
                  action: i % 4 === 1 ? "CLOSE" : "OPEN",
                  resourceId: i % 4 === 1 ? `vm-${(i - 1) >> 1}` : `vm-x${i}`,
                },
          );
        }
        await appendEntries(tx, batch);
      },
      { timeout: 120_000 },
    );
  }
  const actor = { actorLabel: "bench", actorUserId: null, actorTokenId: null };
  const raw = (format: "json" | "pdf") =>
    median(5, async () => {
      const exp = await exportResidencyReport({ prisma: db.prisma, format, teamId: team.id, generatedBy: "bench" });
      let n = 0;
      for await (const c of exp.stream) n += (c as Buffer).length;
      await exp.contentDigest;
      return n;
    });
  const baseline = await raw("json");
  const rawPdf = await raw("pdf");
  const viaResponse = (format: "json" | "pdf") =>
    median(5, async () => {
      const res = await createReportResponse({ prisma: db.prisma, query: { format }, team, actor });
      return (await res.arrayBuffer()).byteLength;
    });
  const json = await viaResponse("json");
  const pdf = await viaResponse("pdf");
  const view = await median(5, async () => (await readResidencyView({ prisma: db.prisma, teamId: team.id, asOf: new Date() })).heldCount);
  const line = (name: string, m: { ms: number; bytes: number }, unit = "bytes") =>
    console.log(
      `${name.padEnd(44)} ${m.ms.toFixed(0).padStart(6)} ms  ${(m.ms / baseline.ms).toFixed(2).padStart(5)}×  ${m.bytes} ${unit}`,
    );
  console.log(`ledger rows: ${ROWS} (one team), PostgreSQL, median of 5`);
  line("baseline: export JSON, Node stream", baseline);
  line("JSON through the HTTP response + audit digest", json);
  line("export PDF, Node stream", rawPdf);
  line("PDF through the HTTP response + audit digest", pdf);
  line("page view (held, totals, transfers)", view, "locations held");
  await db.close();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
