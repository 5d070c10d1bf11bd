import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import {
  acknowledgeLedgerBreak,
  getPlatformResidencyOverview,
  getTeamResidencyOverview,
  readLedgerAlarm,
  recordDataLocation,
  verifyLedger,
  verifyPlatformLedger,
  verifyTeamLedger,
} from "@/lib/residency";
import { hashEntry } from "@/lib/residency/hash";
import { createReportResponse, listReportExports } from "@/lib/residency/report-response";
import { ledgerVerificationTask } from "@/lib/residency/run-verification";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeTeam, makeUser } from "../helpers/factories";

// A DBA changes a ledger row behind the triggers' back. Every report (team and platform; CSV, JSON,
// PDF) still downloads but says the chain is broken where an auditor looks, the pages say so, admins
// and team owners see the alarm; restoring the row and verifying again takes the mark away.

type Principal = Awaited<ReturnType<typeof makeUser>>["principal"];
const FORMATS = ["csv", "json", "pdf"] as const;

async function pdfPages(body: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(body) });
  const { pages } = await parser.getText();
  await parser.destroy();
  return pages.map((p) => p.text.replace(/\s+/g, " "));
}

describe.each(DB_KINDS)("a broken residency ledger on %s", (kind) => {
  let db: Database;
  let admin: Principal;
  let owner: Principal;
  let member: Principal;
  let team: { id: string; slug: string };
  let original: { regionCode: string; country: string };

  /** What a DBA does to get past the append-only trigger (works on PostgreSQL and PGlite alike). */
  const asDba = (sql: string) => db.sql.exec(`SET session_replication_role = replica; ${sql}; SET session_replication_role = DEFAULT;`);
  const forge = () =>
    asDba(`UPDATE "DataLocation" SET "regionCode" = 'use1', country = 'US', jurisdiction = 'THIRD_COUNTRY' WHERE seq = 5`);
  const restore = () =>
    asDba(
      `UPDATE "DataLocation" SET "regionCode" = '${original.regionCode}', country = '${original.country}', jurisdiction = 'NO_EEA' WHERE seq = 5`,
    );
  const record = (n: number) =>
    recordDataLocation({
      prisma: db.prisma,
      teamId: team.id,
      resourceKind: "VM_DISK",
      resourceId: `vm-${n}`,
      resourceName: `web${n}`,
      regionCode: "osl1",
      hostName: "osl-h1",
    });

  async function download(format: (typeof FORMATS)[number], scope: "team" | "platform", fullVerifyInlineMax?: number) {
    const res = await createReportResponse({
      prisma: db.prisma,
      query: { format },
      team: scope === "team" ? team : undefined,
      fullVerifyInlineMax,
      actor: { actorLabel: "auditor@example.test", actorUserId: null, actorTokenId: null },
    });
    const body = Buffer.from(await res.arrayBuffer());
    return {
      res,
      body,
      integrity: res.headers.get("x-skjold-ledger-integrity") ?? "",
      filename: res.headers.get("content-disposition") ?? "",
    };
  }

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await seedDatabase(db.prisma, { adminPassword: "residency-integrity-pass" });
    await db.prisma.region.create({
      data: { code: "use1", name: "Virginia", city: "Ashburn", country: "US", jurisdiction: "THIRD_COUNTRY" },
    });
    ({ principal: admin } = await makeUser(db.prisma, { isAdmin: true }));
    ({ principal: owner } = await makeUser(db.prisma));
    ({ principal: member } = await makeUser(db.prisma));
    team = await makeTeam(db.prisma, [
      { userId: owner.userId, role: "OWNER" },
      { userId: member.userId, role: "MEMBER" },
    ]);
    for (let n = 1; n <= 8; n++) await record(n);
    original = await db.prisma.dataLocation.findUniqueOrThrow({ where: { seq: 5n }, select: { regionCode: true, country: true } });
  });
  afterAll(async () => db?.close());

  it("verifies the chain a report is built from, and says so", async () => {
    const { body, integrity } = await download("json", "team");
    expect(integrity).toMatch(/^verified; through-seq=8; full-through-seq=8; full-at=\d{4}-/);
    const json = JSON.parse(body.toString());
    expect(Object.keys(json).slice(0, 2)).toEqual(["format", "integrity"]);
    expect(json.integrity).toMatchObject({
      status: "verified",
      verifiedThroughSeq: "8",
      statement: expect.stringMatching(/^Verified: the hash chain of entries 1-8 holds\./),
    });
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: admin })).toBeNull();
  });

  it("marks every format, team and platform, the pages and the recorded exports, and raises the alarm", async () => {
    await forge();
    for (const scope of ["team", "platform"] as const) {
      for (const format of FORMATS) {
        const { res, body, integrity, filename } = await download(format, scope);
        expect(res.status).toBe(200);
        expect(integrity, `${scope} ${format}`).toMatch(/^broken; first-bad-seq=5; problem=content; detected-at=/);
        expect(filename).toMatch(/-seq8-LEDGER-BROKEN\.(csv|json|pdf)"$/);
        if (format === "csv") {
          const [first, second] = body.toString().split("\r\n");
          expect(first).toMatch(
            /^# LEDGER BROKEN at entry seq 5 \(content\) found .*: the hash chain does not prove this ledger unaltered/,
          );
          expect(first).not.toMatch(/[,"]/);
          expect(second).toMatch(/^seq,team,resourceKind,/);
        }
        if (format === "json") {
          expect(JSON.parse(body.toString()).integrity).toMatchObject({
            status: "broken",
            firstBadSeq: "5",
            brokenAt: { seq: "5", problem: "content" },
            acknowledgement: null,
            statement: expect.stringMatching(
              /^LEDGER BROKEN: .* found entry seq 5 altered: its content no longer matches its hash\. The hash chain therefore does not prove/,
            ),
          });
        }
        if (format === "pdf") {
          const pages = await pdfPages(body);
          expect(pages[0]).toMatch(/WARNING: THE RESIDENCY LEDGER IS BROKEN LEDGER BROKEN: .* found entry seq 5 altered/);
          expect(pages.join(" ")).not.toMatch(/Verified:|proves the ledger unaltered/);
        }
      }
    }
    const teamPage = await getTeamResidencyOverview({ prisma: db.prisma, principal: owner, teamSlug: team.slug, asOf: new Date() });
    const adminPage = await getPlatformResidencyOverview({ prisma: db.prisma, principal: admin, asOf: new Date() });
    for (const page of [teamPage.residency!, adminPage.residency])
      expect(page.integrity).toMatchObject({ status: "broken", brokenAt: { seq: "5", problem: "content" } });
    expect((await listReportExports({ prisma: db.prisma, teamId: team.id, take: 3 })).map((e) => e.integrity)).toEqual([
      expect.stringMatching(/^broken; first-bad-seq=5/),
      expect.stringMatching(/^broken/),
      expect.stringMatching(/^broken/),
    ]);
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: admin })).toMatchObject({
      brokenAt: { seq: "5" },
      href: "/admin/residency",
    });
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: owner })).toMatchObject({
      brokenAt: { seq: "5" },
      href: `/teams/${team.slug}/residency`,
    });
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: member })).toBeNull();
  });

  it("lets an admin acknowledge the break with a reason: the alarm stops, the mark stays", async () => {
    const reason = "Row 5 changed during the 2026-03-01 migration; restoring from the nightly backup.";
    await expect(acknowledgeLedgerBreak({ prisma: db.prisma, principal: owner, input: { reason } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(acknowledgeLedgerBreak({ prisma: db.prisma, principal: admin, input: { reason: "ok" } })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    const meta = { ip: "192.0.2.7", userAgent: "integration-test", correlationId: "ack-1" };
    expect(await acknowledgeLedgerBreak({ prisma: db.prisma, principal: admin, input: { reason }, meta })).toMatchObject({
      status: "broken",
      acknowledgement: { reason },
    });
    expect(await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "residency.ledger.acknowledge" } })).toMatchObject({
      actorLabel: admin.email,
      ip: meta.ip,
      userAgent: meta.userAgent,
      correlationId: meta.correlationId,
      details: { seq: "5", problem: "content", reason },
    });
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: admin })).toBeNull();
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: owner })).toBeNull();
    const { body, integrity } = await download("json", "platform");
    expect(integrity).toMatch(/^broken; first-bad-seq=5; .*; acknowledged-at=/);
    expect(JSON.parse(body.toString()).integrity.statement).toContain(`The operator acknowledged this on`);
  });

  it("takes the mark away once the row is restored and a verification passes", async () => {
    await restore();
    // On a ledger this small every report recomputes the chain itself; a verification on demand does too.
    expect(await verifyTeamLedger({ prisma: db.prisma, principal: owner, teamSlug: team.slug })).toMatchObject({ ok: true, count: 8 });
    await expect(verifyTeamLedger({ prisma: db.prisma, principal: member, teamSlug: team.slug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    for (const scope of ["team", "platform"] as const) {
      for (const format of FORMATS) {
        const { body, integrity, filename } = await download(format, scope);
        expect(integrity).toMatch(/^verified; through-seq=8/);
        expect(filename).not.toContain("BROKEN");
        if (format === "csv") expect(body.toString()).toMatch(/^seq,team,/);
        if (format === "pdf") expect((await pdfPages(body))[0]).not.toContain("WARNING");
      }
    }
    expect(
      (await getTeamResidencyOverview({ prisma: db.prisma, principal: owner, teamSlug: team.slug, asOf: new Date() })).residency!.integrity
        .status,
    ).toBe("verified");
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: admin })).toBeNull();
  });

  it("on a ledger too large to recompute per report, verifies the new tail and relies on the last full verification for the rest", async () => {
    const large = 0; // every report behaves as on a ledger above FULL_VERIFY_INLINE_MAX
    await record(9);
    await record(10);
    const tail = await download("json", "team", large);
    expect(JSON.parse(tail.body.toString()).integrity.statement).toMatch(
      /Entries 1-8 were recomputed in full on .*; entries 9-10 were verified incrementally/,
    );
    expect(await db.prisma.ledgerVerification.findFirstOrThrow({ orderBy: { finishedAt: "desc" } })).toMatchObject({
      kind: "TAIL",
      fromSeq: 9n,
      throughSeq: 10n,
      ok: true,
    });

    // An old row changed after the last full verification: the report can only state what covers it…
    await forge();
    expect((await download("csv", "platform", large)).integrity).toMatch(/^verified; through-seq=10; full-through-seq=8;/);
    // …until the hourly full verification finds it; from then on every report is marked, without recomputing.
    await ledgerVerificationTask.run({
      prisma: db.prisma,
      workerId: "worker-1",
      signal: new AbortController().signal,
      firedAt: new Date(),
    });
    expect((await download("pdf", "team", large)).integrity).toMatch(/^broken; first-bad-seq=5/);
    await restore();
    expect((await download("json", "team", large)).integrity).toMatch(/^broken; first-bad-seq=5/); // a tail never clears a break
    expect(await verifyPlatformLedger({ prisma: db.prisma, principal: admin })).toMatchObject({ ok: true, count: 10 });
    expect((await download("json", "team", large)).integrity).toMatch(/^verified; through-seq=10; full-through-seq=10/);

    // A row in the unverified tail is caught by the report itself.
    await record(11);
    await asDba(`UPDATE "DataLocation" SET "hostName" = 'elsewhere' WHERE seq = 11`);
    expect((await download("csv", "team", large)).integrity).toMatch(/^broken; first-bad-seq=11; problem=content/);
    expect(await readLedgerAlarm({ prisma: db.prisma, principal: admin })).toMatchObject({ brokenAt: { seq: "11" } });
  });

  it("finds a chain rewritten consistently from a verified entry on, by the hash a verification recorded there", async () => {
    await asDba(`UPDATE "DataLocation" SET "hostName" = 'osl-h1' WHERE seq = 11`);
    expect(await verifyPlatformLedger({ prisma: db.prisma, principal: admin })).toMatchObject({ ok: true, count: 11 });
    const row = await db.prisma.dataLocation.findUniqueOrThrow({ where: { seq: 11n } });
    await asDba(
      `UPDATE "DataLocation" SET "hostName" = 'elsewhere', hash = '${hashEntry({ ...row, hostName: "elsewhere" })}' WHERE seq = 11`,
    );
    expect(await verifyLedger({ prisma: db.prisma })).toMatchObject({ ok: true }); // the chain alone still links
    expect(await verifyPlatformLedger({ prisma: db.prisma, principal: admin })).toMatchObject({
      ok: false,
      brokenAt: { seq: "11", problem: "anchor", expected: row.hash },
    });
    expect((await download("json", "platform")).integrity).toMatch(/^broken; first-bad-seq=11; problem=anchor/);
  });
});
