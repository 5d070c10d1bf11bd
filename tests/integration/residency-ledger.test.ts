import { createHash } from "node:crypto";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import {
  closeDataLocations,
  exportResidencyReport,
  recordDataLocation,
  recordPortalHeldData,
  verifyLedger,
  type ReportFormat,
} from "@/lib/residency";
import { DB_KINDS, freshDatabase } from "../helpers/db";

const d = (iso: string) => new Date(`${iso}T12:00:00.000Z`);
const OPERATOR = {
  company: "Fjordsky Hosting AS",
  orgNumber: "923 456 789",
  address: "Akersgata 1, 0158 Oslo",
  email: "privacy@fjordsky.example",
  dpo: { name: "Kari Nordmann", email: "dpo@fjordsky.example" },
};

async function readAll(format: ReportFormat, db: Database, opts: { teamId?: string; asOf?: Date }) {
  const exp = await exportResidencyReport({ prisma: db.prisma, format, generatedBy: "auditor@example.test", ...opts });
  const chunks: Buffer[] = [];
  for await (const c of exp.stream) chunks.push(Buffer.from(c));
  const body = Buffer.concat(chunks);
  return { exp, body, digest: await exp.contentDigest };
}

async function reportJson(db: Database, opts: { teamId?: string; asOf?: Date }) {
  return JSON.parse((await readAll("json", db, opts)).body.toString("utf8"));
}

const names = (rows: { resourceName: string; resourceKind: string }[]) => rows.map((r) => `${r.resourceName}:${r.resourceKind}`).sort();

describe.each(DB_KINDS)("residency ledger and reports on %s", (kind) => {
  let db: Database;
  let teamA: { id: string };
  let teamB: { id: string };
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await seedDatabase(db.prisma, { adminPassword: "residency-test-pass" });
    await db.prisma.region.create({
      data: { code: "use1", name: "Virginia", city: "Ashburn", country: "US", jurisdiction: "THIRD_COUNTRY" },
    });
    await db.prisma.setting.create({ data: { key: "residency.operator", value: OPERATOR } });
    await db.prisma.setting.create({ data: { key: "portal.location", value: { regionCode: "osl1", hostName: "portal-db-1" } } });
    teamA = await db.prisma.team.create({
      data: { slug: "alfa", name: "Alfa AS", controllerName: "Alfa AS", controllerContact: "dpo@alfa.example" },
    });
    teamB = await db.prisma.team.create({ data: { slug: "bravo", name: "Bravo AB" } });
    const rec = (
      teamId: string,
      resourceKind: "VM_DISK" | "VM_SEED" | "BACKUP",
      resourceId: string,
      resourceName: string,
      regionCode: string,
      hostName: string,
      at: string,
    ) =>
      recordDataLocation({
        prisma: db.prisma,
        teamId,
        resourceKind,
        resourceId,
        resourceName,
        regionCode,
        hostName,
        poolName: "nvme",
        path: `/srv/${resourceName}.${resourceKind === "VM_SEED" ? "iso" : "qcow2"}`,
        effectiveAt: d(at),
        actor: "worker-1",
      });
    await rec(teamA.id, "VM_DISK", "vm-web1", "web1", "osl1", "osl-h1", "2026-01-10");
    await rec(teamA.id, "VM_SEED", "vm-web1", "web1", "osl1", "osl-h1", "2026-01-10");
    await rec(teamA.id, "VM_DISK", "vm-db1", "db1", "fra1", "fra-h1", "2026-01-12");
    await recordPortalHeldData({
      prisma: db.prisma,
      teamId: teamA.id,
      resourceKind: "KUBECONFIG",
      resourceId: "cl-k1",
      resourceName: "k1",
      effectiveAt: d("2026-01-15"),
    });
    await rec(teamB.id, "VM_DISK", "vm-b1", "bravo-vm", "sto1", "sto-h1", "2026-01-20");
    await rec(teamB.id, "BACKUP", "bk-b1", "bravo-backup", "use1", "us-h1", "2026-01-21");
    await closeDataLocations({ prisma: db.prisma, resourceId: "vm-web1", at: d("2026-02-01"), actor: "worker-2" });
  });
  afterAll(async () => db?.close());

  it("appends a gapless chain, with a CLOSE row per location ended", async () => {
    const rows = await db.prisma.dataLocation.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(rows.slice(-2).map((r) => [r.action, r.resourceKind, r.hostName])).toEqual([
      ["CLOSE", "VM_DISK", "osl-h1"],
      ["CLOSE", "VM_SEED", "osl-h1"],
    ]);
    expect(rows[3]).toMatchObject({
      resourceKind: "KUBECONFIG",
      regionCode: "osl1",
      hostName: "portal-db-1",
      country: "NO",
      jurisdiction: "NO_EEA",
    });
    expect(await closeDataLocations({ prisma: db.prisma, resourceId: "vm-web1" })).toEqual([]); // already closed
    await expect(db.prisma.dataLocation.update({ where: { seq: 1n }, data: { hostName: "x" } })).rejects.toThrow(/append-only/);
  });

  it("says where team A's data is now, and where it was before the deletion", async () => {
    const now = await reportJson(db, { teamId: teamA.id, asOf: d("2026-03-01") });
    expect(names(now.locations)).toEqual(["db1:VM_DISK", "k1:KUBECONFIG"]);
    expect(names(now.history)).toEqual(["db1:VM_DISK", "k1:KUBECONFIG", "web1:VM_DISK", "web1:VM_SEED"]);
    expect(now.history.find((r: { resourceName: string }) => r.resourceName === "web1").until).toBe("2026-02-01T12:00:00.000Z");
    expect(now.totals.byJurisdiction).toEqual([
      { jurisdiction: "EU", country: "DE", openAtAsOf: 1, staysInPeriod: 1, outsideEea: false },
      { jurisdiction: "NO_EEA", country: "NO", openAtAsOf: 1, staysInPeriod: 3, outsideEea: false },
    ]);
    expect(now.transfersOutsideEea).toMatchObject({ count: 0, entries: [] });
    expect(now.transfersOutsideEea.statement).toMatch(/^None\./);
    expect(now).toMatchObject({
      processor: { company: OPERATOR.company },
      team: { slug: "alfa", controller: { name: "Alfa AS" } },
      ledgerHead: { seq: "8" },
    });

    const before = await reportJson(db, { teamId: teamA.id, asOf: d("2026-01-20") });
    expect(names(before.locations)).toEqual(["db1:VM_DISK", "k1:KUBECONFIG", "web1:VM_DISK", "web1:VM_SEED"]);
    const earliest = await reportJson(db, { teamId: teamA.id, asOf: d("2026-01-11") });
    expect(names(earliest.locations)).toEqual(["web1:VM_DISK", "web1:VM_SEED"]);
  });

  it("never shows one team's rows in another team's report, and lists transfers outside the EEA", async () => {
    const a = (await readAll("csv", db, { teamId: teamA.id })).body.toString();
    const b = await reportJson(db, { teamId: teamB.id });
    expect(a).not.toContain("bravo");
    // Quoted: team B's report is full of hex hashes and ids, in which "db1" can occur by chance.
    expect(JSON.stringify(b)).not.toMatch(/"(web1|db1|alfa)"/);
    expect(b.transfersOutsideEea.count).toBe(1);
    expect(b.transfersOutsideEea.entries[0]).toMatchObject({ resourceName: "bravo-backup", country: "US", jurisdiction: "THIRD_COUNTRY" });
    const platform = await reportJson(db, {});
    expect(platform.locations).toHaveLength(4);
    expect(platform.totals.openAtAsOf).toBe(4);
  });

  it("exports CSV rows with status at the as-of date, and a digest of exactly the bytes sent", async () => {
    const { body, digest, exp } = await readAll("csv", db, { teamId: teamA.id, asOf: d("2026-03-01") });
    const lines = body.toString().trim().split("\r\n");
    expect(lines[0]).toMatch(/^seq,team,resourceKind,.*,statusAtAsOf$/);
    expect(lines.slice(1).map((l) => [l.split(",")[4], l.split(",").at(-1)])).toEqual([
      ["web1", "CLOSED"],
      ["web1", "CLOSED"],
      ["db1", "OPEN"],
      ["k1", "OPEN"],
    ]);
    expect(digest).toBe(createHash("sha256").update(body).digest("hex"));
    expect(exp.filename).toBe("skjold-residency-alfa-2026-03-01-seq8.csv");
  });

  it("renders a PDF that states the same facts as the JSON", async () => {
    const json = await reportJson(db, { teamId: teamA.id, asOf: d("2026-01-20") });
    const { body, digest } = await readAll("pdf", db, { teamId: teamA.id, asOf: d("2026-01-20") });
    expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(digest).toBe(createHash("sha256").update(body).digest("hex"));
    const parser = new PDFParse({ data: new Uint8Array(body) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    for (const fact of [
      OPERATOR.company,
      OPERATOR.orgNumber,
      "Kari Nordmann",
      "Alfa AS",
      "osl-h1/nvme:/srv/web1.qcow2",
      "fra-h1/nvme:/srv/db1.qcow2",
      "portal-db-1",
      json.ledgerHead.hash,
      "2026-01-20 12:00:00 UTC",
      "None. No personal data",
      "For the controller",
    ]) {
      expect(text, fact).toContain(fact);
    }
    expect(text).toMatch(/EU DE 1 1 no/);
    expect(text).toMatch(/NO_EEA NO 3 3 no/);
    expect(text).toMatch(/All 4 4/);
    expect(text).not.toContain("bravo");
  });

  it("verifies the chain and finds the exact row that was altered behind its back", async () => {
    const ok = await verifyLedger({ prisma: db.prisma, batchSize: 3 });
    const head = await db.prisma.dataLocation.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(ok).toEqual({ ok: true, count: 8, head: { seq: "8", hash: head.hash } });
    await db.sql.exec(
      `ALTER TABLE "DataLocation" DISABLE TRIGGER ALL; UPDATE "DataLocation" SET "regionCode" = 'sto1', country = 'SE' WHERE seq = 3; ALTER TABLE "DataLocation" ENABLE TRIGGER ALL;`,
    );
    const broken = await verifyLedger({ prisma: db.prisma, batchSize: 3 });
    expect(broken).toMatchObject({
      ok: false,
      count: 2,
      brokenAt: { seq: "3", problem: "content", found: (await db.prisma.dataLocation.findUniqueOrThrow({ where: { seq: 3n } })).hash },
    });
  });
});
