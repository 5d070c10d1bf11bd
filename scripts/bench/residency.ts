// Residency benchmark on PostgreSQL (127.0.0.1:5432, scratch database skjold_bench_residency).
//   npx tsx scripts/bench/residency.ts [--scale 1]
// Builds 10% of (5,000 teams, 100,000 VMs, 1,000,000 ledger entries) × scale, measures, grows the data
// to 100%, measures again. Each measurement runs in a fresh child process so its peak RSS is its own;
// a child that only connects is the baseline. Streaming shows as flat RSS between 10% and 100%.
// Reports verify the ledger they are built from: as in production, a recorded full verification (the
// hourly schedule) runs first, so the reports verify only the tail after it. "report-check" is that
// check alone (what a report adds before its first byte; state queries warmed, as in a running portal)
// with no new entries; "report-check-tail" the same after 10,000 more entries were appended.
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { exportResidencyReport } from "@/lib/residency/export";
import { hashEntry, GENESIS_HASH, type HashedFields } from "@/lib/residency/hash";
import { readLedgerIntegrity } from "@/lib/residency/integrity";
import { runLedgerVerification, verifyReportLedger } from "@/lib/residency/run-verification";

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = "skjold_bench_residency";
const URL_ = `postgres://postgres@127.0.0.1:5432/${DB_NAME}`;
const _ENTRIES_PER_VM = 10;
const STEPS: [HashedFields["action"], HashedFields["resourceKind"], string][] = [
  ["OPEN", "VM_DISK", "disk"],
  ["OPEN", "VM_SEED", "seed"],
  ["OPEN", "BACKUP", "b1"],
  ["OPEN", "BACKUP", "b2"],
  ["CLOSE", "BACKUP", "b1"],
  ["OPEN", "SNAPSHOT", "s1"],
  ["CLOSE", "SNAPSHOT", "s1"],
  ["OPEN", "BACKUP", "b3"],
  ["CLOSE", "BACKUP", "b2"],
  ["OPEN", "KUBECONFIG", "kc"],
];

async function measure(op: string, teamId: string): Promise<void> {
  const db = await openDatabase({ kind: "postgres", url: URL_, poolSize: 2 });
  const start = performance.now();
  let timed: number | undefined; // seconds of the part that is measured, when not the whole op
  let rows = 0;
  let bytes = 0;
  if (op === "verify") {
    const run = await runLedgerVerification({ prisma: db.prisma, trigger: "schedule", actor: "bench" });
    if (!run.ok) throw new Error(`ledger broken at ${run.brokenAt.seq}`);
    rows = run.count;
  } else if (op.startsWith("report-check")) {
    // Warm the state queries first (a running portal has them warm): a check of the head the last run
    // already covers verifies nothing. Then time the check of the real head alone.
    const state = await readLedgerIntegrity({ prisma: db.prisma });
    if (state.status !== "verified") throw new Error(`ledger ${state.status}`);
    await verifyReportLedger({ prisma: db.prisma, headSeq: BigInt(state.verifiedThrough.seq), actor: "bench" });
    const head = await db.prisma.dataLocation.findFirstOrThrow({ orderBy: { seq: "desc" }, select: { seq: true } });
    const before = await db.prisma.ledgerVerification.count();
    const t0 = performance.now();
    const integrity = await verifyReportLedger({ prisma: db.prisma, headSeq: head.seq, actor: "bench" });
    timed = (performance.now() - t0) / 1000;
    if (integrity.status !== "verified") throw new Error(`report check found ${integrity.status}`);
    rows = (await db.prisma.ledgerVerification.count()) - before; // runs recorded: 0 when nothing new
  } else if (op !== "baseline") {
    const exp = await exportResidencyReport({
      prisma: db.prisma,
      format: op === "platform-csv" ? "csv" : "pdf",
      teamId: op === "team-pdf" ? teamId : undefined,
      generatedBy: "bench",
    });
    if (!exp.integrity.startsWith("verified")) throw new Error(`report not verified: ${exp.integrity}`);
    const sink = createWriteStream("/dev/null");
    exp.stream.on("data", (c: Buffer) => void (bytes += c.length));
    await pipeline(exp.stream, sink);
    await exp.contentDigest;
  } else await db.prisma.team.count();
  const seconds = timed ?? (performance.now() - start) / 1000;
  await db.close();
  console.log(JSON.stringify({ seconds, rows, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function grow(sql: pg.Pool, teams: number, vms: number, head: { seq: bigint; hash: string }) {
  const have = Number((await sql.query(`SELECT count(*) FROM "Team"`)).rows[0].count);
  await sql.query(
    `INSERT INTO "Team" (slug, name, "updatedAt") SELECT 'team-' || g, 'Team ' || g, now() FROM generate_series($1::int, $2::int) g`,
    [have + 1, teams],
  );
  const vmHave = Number((await sql.query(`SELECT count(*) FROM "VirtualMachine"`)).rows[0].count);
  await sql.query(
    `WITH t AS (SELECT id, row_number() OVER (ORDER BY "createdAt", slug) - 1 AS n FROM "Team"),
          r AS (SELECT id, code, row_number() OVER (ORDER BY code) - 1 AS n FROM "Region"),
          p AS (SELECT id FROM "Plan" LIMIT 1), i AS (SELECT id FROM "Image" LIMIT 1)
     INSERT INTO "VirtualMachine" ("teamId", name, "regionId", "planId", "imageId", vcpus, "memoryMb", "diskGb", "domainName", state, "updatedAt")
     SELECT t.id, 'vm' || g, r.id, p.id, i.id, 1, 512, 10, 'skjold-vm' || g, 'RUNNING', now()
     FROM generate_series($1::int, $2::int) g JOIN t ON t.n = g % $3 JOIN r ON r.n = g % 6, p, i`,
    [vmHave, vms - 1, teams],
  );
  const regions = (await sql.query(`SELECT code, country, jurisdiction FROM "Region" ORDER BY code`)).rows;
  const teamRows = (await sql.query(`SELECT id, slug FROM "Team" ORDER BY "createdAt", slug`)).rows;
  const base = Date.UTC(2025, 0, 1);
  for (let v = vmHave; v < vms; v += 1000) {
    const cols: unknown[][] = Array.from({ length: 17 }, () => []);
    for (let vm = v; vm < Math.min(v + 1000, vms); vm++) {
      const team = teamRows[vm % teams];
      const region = regions[vm % 6];
      for (const [k, [action, resourceKind, tag]] of STEPS.entries()) {
        const f: HashedFields = {
          seq: head.seq + 1n,
          teamId: team.id,
          teamSlug: team.slug,
          resourceKind,
          resourceId: `vm${vm}-${tag}`,
          resourceName: `vm${vm}`,
          action,
          hostName: `${region.code}-h${vm % 4}`,
          poolName: "nvme",
          path: `/var/lib/skjold/vm${vm}-${tag}.qcow2`,
          regionCode: region.code,
          country: region.country,
          jurisdiction: region.jurisdiction,
          effectiveAt: new Date(base + vm * 300_000 + k * 1000),
          recordedAt: new Date(base + vm * 300_000 + k * 1000 + 500),
          actor: "bench",
          prevHash: head.hash,
        };
        const hash = hashEntry(f);
        [
          f.seq.toString(),
          f.teamId,
          f.teamSlug,
          f.resourceKind,
          f.resourceId,
          f.resourceName,
          f.action,
          f.hostName,
          f.poolName,
          f.path,
          f.regionCode,
          f.country,
          f.jurisdiction,
          f.effectiveAt.toISOString(),
          f.recordedAt.toISOString(),
          f.prevHash,
          hash,
        ].forEach((x, c) => {
          cols[c]!.push(x);
        });
        head = { seq: f.seq, hash };
      }
    }
    await sql.query(
      `INSERT INTO "DataLocation" (seq, "teamId", "teamSlug", "resourceKind", "resourceId", "resourceName", action, "hostName", "poolName", path, "regionCode", country, jurisdiction, "effectiveAt", "recordedAt", actor, "prevHash", hash)
       SELECT s, tid::uuid, ts, rk::"ResourceKind", rid, rn, a::"LedgerAction", hn, pn, pa, rc, co, j::"Jurisdiction", (ea::timestamptz AT TIME ZONE 'UTC'), (ra::timestamptz AT TIME ZONE 'UTC'), 'bench', ph, h
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
         AS x(s, tid, ts, rk, rid, rn, a, hn, pn, pa, rc, co, j, ea, ra, ph, h)`,
      cols,
    );
  }
  return head;
}

function child(op: string, teamId: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--measure", op, teamId], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${op} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { seconds: number; rows: number; bytes: number; maxRssMb: number };
}

async function main() {
  const scale = Number(process.argv[process.argv.indexOf("--scale") + 1] ?? 1) || 1;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const db = await openDatabase({ kind: "postgres", url: URL_ });
  await seedDatabase(db.prisma, { adminPassword: "bench-only-password" });
  const sql = new pg.Pool({ connectionString: URL_, max: 2 });
  let head = { seq: 0n, hash: GENESIS_HASH };
  const results: Record<string, Record<string, ReturnType<typeof child>>> = {};
  for (const fraction of [0.1, 1]) {
    const t0 = performance.now();
    head = await grow(sql, Math.round(5000 * scale * fraction), Math.round(100_000 * scale * fraction), head);
    await sql.query(`ANALYZE`);
    const team = (await sql.query(`SELECT id FROM "Team" WHERE slug = 'team-1'`)).rows[0].id as string;
    console.log(`${fraction * 100}%: ${head.seq} ledger entries generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    results[fraction] = Object.fromEntries(
      ["baseline", "verify", "report-check", "platform-csv", "team-pdf"].map((op) => [op, child(op, team)]),
    );
    head = await grow(sql, Math.round(5000 * scale * fraction), Math.round(100_000 * scale * fraction) + 1000, head);
    results[fraction]!["report-check-tail"] = child("report-check-tail", team);
    for (const [op, m] of Object.entries(results[fraction]!)) {
      console.log(
        `  ${op.padEnd(13)} ${m.seconds.toFixed(2).padStart(7)} s  rows ${String(m.rows).padStart(8)}  bytes ${String(m.bytes).padStart(10)}  peak RSS ${m.maxRssMb.toFixed(0)} MB (${(m.maxRssMb / results[fraction]!.baseline!.maxRssMb).toFixed(2)}x baseline)`,
      );
    }
  }
  console.log("100% vs 10%:");
  for (const op of ["platform-csv", "team-pdf", "report-check", "report-check-tail", "verify"]) {
    const [a, b] = [results["0.1"]![op]!, results["1"]![op]!];
    console.log(`  ${op.padEnd(13)} time ${(b.seconds / a.seconds).toFixed(1)}x, peak RSS ${(b.maxRssMb / a.maxRssMb).toFixed(2)}x`);
  }
  await sql.end();
  await db.close();
}

if (process.argv[2] === "--measure") await measure(process.argv[3]!, process.argv[4]!);
else await main();
