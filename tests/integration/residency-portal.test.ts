import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { changeResidencyPolicy, getOperatorDetails, recordDataLocation, verifyLedger } from "@/lib/residency";
import { changeOperatorDetails } from "@/lib/residency/operator-settings";
import { changePortalLocation } from "@/lib/residency/portal-location";
import { parseReportQuery } from "@/lib/residency/report-query";
import { createReportResponse, findReportExport, listReportExports } from "@/lib/residency/report-response";
import { readResidencyView } from "@/lib/residency/view";
import { DB_KINDS, freshDatabase } from "../helpers/db";

// The residency portal's server side: query parsing, the page view, the portal-location move, the
// operator settings and the streamed report response whose digest is recorded before its body ends.

const NOW = new Date("2026-03-10T15:30:00.000Z");
const admin = { actorLabel: "admin@skjold.test", actorUserId: null, actorTokenId: null };

describe("report query parameters", () => {
  const q = (params: Record<string, string>) => parseReportQuery({ params, now: NOW });

  it("reads a date as the end of that day and an ISO time exactly", () => {
    expect(q({ format: "pdf", asOf: "2026-01-10" }).asOf?.toISOString()).toBe("2026-01-10T23:59:59.999Z");
    expect(q({ format: "csv", asOf: "2026-01-10T12:00:00+01:00" }).asOf?.toISOString()).toBe("2026-01-10T11:00:00.000Z");
    expect(q({ format: "json", since: "2026-01-01" }).since?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("takes today as now and refuses a later day", () => {
    expect(q({ format: "json", asOf: "2026-03-10" }).asOf).toEqual(NOW);
    expect(() => q({ format: "json", asOf: "2026-03-11" })).toThrow(/asOf: 2026-03-11T23:59:59.999Z is in the future/);
  });

  it("answers a bad date, a missing format and an unknown parameter with a clear 422", () => {
    for (const [params, message] of [
      [{ format: "pdf", asOf: "2026-02-31" }, /asOf: "2026-02-31" is not a valid date: use a date \(YYYY-MM-DD\)/],
      [{ format: "pdf", asOf: "yesterday" }, /"yesterday" is not a valid date/],
      [{ asOf: "2026-01-01" }, /format/],
      [{ format: "xlsx" }, /format/],
      [{ format: "pdf", asof: "2026-01-01" }, /Unrecognized key: "asof"/i],
      [{ format: "pdf", since: "2026-02-01", asOf: "2026-01-01" }, /since must not be after asOf/],
    ] as const) {
      expect(() => q(params)).toThrow(
        expect.objectContaining({ code: "VALIDATION", status: 422, message: expect.stringMatching(message) }),
      );
    }
  });
});

async function readAll(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

describe.each(DB_KINDS)("residency portal on %s", (kind) => {
  let db: Database;
  let alfa: { id: string; slug: string };
  let beta: { id: string; slug: string };
  const before = new Date("2026-01-01T00:00:00.000Z");

  beforeAll(async () => {
    db = await freshDatabase(kind);
    await seedDatabase(db.prisma, { adminPassword: "residency-portal-pass" });
    alfa = await db.prisma.team.create({
      data: { slug: "alfa", name: "Alfa AS", residencyPolicy: "EEA" },
      select: { id: true, slug: true },
    });
    beta = await db.prisma.team.create({
      data: { slug: "beta", name: "Beta AB", residencyPolicy: "EU" },
      select: { id: true, slug: true },
    });
    await recordDataLocation({
      prisma: db.prisma,
      teamId: alfa.id,
      resourceKind: "VM_DISK",
      resourceId: "vm-web1",
      resourceName: "web1",
      regionCode: "osl1",
      hostName: "osl-h1",
      poolName: "nvme",
      path: "/srv/web1.qcow2",
      effectiveAt: new Date("2026-01-10T12:00:00Z"),
    });
  });
  afterAll(async () => db?.close());

  it("shows where a team's data is now and at a past date, with totals and no transfers", async () => {
    const now = await readResidencyView({ prisma: db.prisma, teamId: alfa.id, asOf: new Date() });
    expect(now.locations.map((l) => [l.resourceName, l.hostName, l.poolName, l.path, l.regionCode, l.country, l.jurisdiction])).toEqual([
      ["web1", "osl-h1", "nvme", "/srv/web1.qcow2", "osl1", "NO", "NO_EEA"],
    ]);
    expect(now.totals).toEqual([{ jurisdiction: "NO_EEA", country: "NO", openAtAsOf: 1, staysInPeriod: 1, outsideEea: false }]);
    expect(now.transferCount).toBe(0);
    const past = await readResidencyView({ prisma: db.prisma, teamId: alfa.id, asOf: before });
    expect([past.locations.length, past.heldCount, past.totals]).toEqual([0, 0, []]);
    expect((await readResidencyView({ prisma: db.prisma, teamId: beta.id, asOf: new Date() })).locations).toEqual([]);
  });

  it("lists a stay outside the EEA as a transfer", async () => {
    await db.prisma.region.create({ data: { code: "lon1", name: "London", city: "London", country: "GB", jurisdiction: "THIRD_COUNTRY" } });
    await recordDataLocation({
      prisma: db.prisma,
      teamId: alfa.id,
      resourceKind: "BACKUP",
      resourceId: "bk-1",
      resourceName: "web1-nightly",
      regionCode: "lon1",
    });
    const view = await readResidencyView({ prisma: db.prisma, teamId: alfa.id, asOf: new Date() });
    expect(view.transfers.map((t) => [t.resourceName, t.country, t.jurisdiction])).toEqual([["web1-nightly", "GB", "THIRD_COUNTRY"]]);
    expect(view.totals.find((g) => g.jurisdiction === "THIRD_COUNTRY")).toMatchObject({ openAtAsOf: 1, outsideEea: true });
    const platform = await readResidencyView({ prisma: db.prisma, asOf: new Date(), limit: 1 });
    expect([platform.locations.length, platform.heldCount]).toEqual([1, 2]);
  });

  it("moves every team's portal-held data with the portal, and refuses a move a team's policy forbids", async () => {
    // Beta is EU-only: Oslo (EEA, not EU) would put its account data outside its policy.
    await expect(changePortalLocation({ prisma: db.prisma, input: { regionCode: "osl1" }, actor: admin })).rejects.toMatchObject({
      code: "POLICY_VIOLATION",
      message: expect.stringMatching(/beta \(EU only/),
    });
    expect(await db.prisma.setting.findUnique({ where: { key: "portal.location" } })).toBeNull();
    await expect(changePortalLocation({ prisma: db.prisma, input: { regionCode: "nowhere" }, actor: admin })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(
      changePortalLocation({ prisma: db.prisma, input: { regionCode: "fra1", hostName: "a;b" }, actor: admin }),
    ).rejects.toMatchObject({ code: "VALIDATION" });

    expect(
      await changePortalLocation({ prisma: db.prisma, input: { regionCode: "fra1", hostName: "fra-portal" }, actor: admin }),
    ).toMatchObject({ teamsMoved: 2 });
    expect(
      await changePortalLocation({ prisma: db.prisma, input: { regionCode: "fra1", hostName: "fra-portal" }, actor: admin }),
    ).toMatchObject({ teamsMoved: 0 });
    // Now Alfa cannot go Norway-only: its account data sits in Frankfurt.
    await expect(
      changeResidencyPolicy({ prisma: db.prisma, teamId: alfa.id, policy: "NORWAY_ONLY", actor: { label: "o" } }),
    ).rejects.toMatchObject({
      details: { violations: expect.arrayContaining([expect.objectContaining({ type: "data", regionCode: "fra1" })]) },
    });
    await db.prisma.team.update({ where: { id: beta.id }, data: { residencyPolicy: "EEA" } });
    expect(await changePortalLocation({ prisma: db.prisma, input: { regionCode: "sto1" }, actor: admin })).toMatchObject({ teamsMoved: 2 });
    const held = await readResidencyView({ prisma: db.prisma, teamId: beta.id, asOf: new Date() });
    expect(held.locations.map((l) => [l.resourceKind, l.resourceId, l.regionCode, l.hostName])).toEqual([
      ["PORTAL_DATABASE", beta.id, "sto1", null],
    ]);
    const rows = await db.prisma.dataLocation.findMany({
      where: { resourceId: beta.id },
      orderBy: { seq: "asc" },
      select: { action: true, regionCode: true },
    });
    expect(rows).toEqual([
      { action: "OPEN", regionCode: "fra1" },
      { action: "CLOSE", regionCode: "fra1" },
      { action: "OPEN", regionCode: "sto1" },
    ]);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "portal.location.change" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.details)).toMatchObject([
      { from: null, teamsMoved: 2 },
      { teamsMoved: 0 },
      { from: { regionCode: "fra1" }, to: { regionCode: "sto1" }, teamsMoved: 2 },
    ]);
    expect(await verifyLedger({ prisma: db.prisma })).toMatchObject({ ok: true });
  });

  it("saves operator details from the form, keeps what the form does not edit, and audits field names only", async () => {
    await expect(
      changeOperatorDetails({ prisma: db.prisma, input: { company: " ", dpoEmail: "not-an-email" }, actor: admin }),
    ).rejects.toThrow(/company: must not be empty.*dpoEmail: must be a valid email address/);
    await expect(
      changeOperatorDetails({ prisma: db.prisma, input: { company: "Skjold Drift AS", dpoEmail: "dpo@skjold.no" }, actor: admin }),
    ).rejects.toThrow(/dpoName: name the DPO/);
    await db.prisma.setting.create({
      data: { key: "residency.operator", value: { company: "Old AS", representative: { name: "EU Rep GmbH" } } },
    });
    const saved = await changeOperatorDetails({
      prisma: db.prisma,
      input: {
        company: "Skjold Drift AS",
        orgNumber: "923 456 789",
        address: "Storgata 1, 0155 Oslo",
        email: "",
        dpoName: "Kari Nordmann",
        dpoEmail: "DPO@Skjold.no",
        securityMeasures: "Disks encrypted\n\n  Backups in Norway  ",
      },
      actor: admin,
    });
    expect(saved).toEqual({
      company: "Skjold Drift AS",
      orgNumber: "923 456 789",
      address: "Storgata 1, 0155 Oslo",
      representative: { name: "EU Rep GmbH" },
      dpo: { name: "Kari Nordmann", email: "dpo@skjold.no" },
      securityMeasures: ["Disks encrypted", "Backups in Norway"],
    });
    expect(await getOperatorDetails({ prisma: db.prisma })).toEqual(saved);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "residency.operator.change" } });
    expect(event.details).toEqual({ changed: ["address", "company", "dpo", "orgNumber", "securityMeasures"] });
    expect(JSON.stringify(event.details)).not.toContain("Kari");
  });

  it("streams a report whose digest is recorded, for its own team only, before the body ends", async () => {
    const team = { id: alfa.id, slug: alfa.slug };
    const actor = { actorLabel: "auditor@alfa.test", actorUserId: null, actorTokenId: null };
    for (const format of ["json", "csv", "pdf"] as const) {
      const res = await createReportResponse({ prisma: db.prisma, query: { format }, team, actor });
      const reportId = res.headers.get("x-skjold-report-id")!;
      expect(res.headers.get("content-disposition")).toMatch(
        new RegExp(`^attachment; filename="skjold-residency-alfa-\\d{4}-\\d{2}-\\d{2}-seq\\d+\\.${format}"$`),
      );
      await expect(findReportExport({ prisma: db.prisma, reportId, teamId: alfa.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      const body = await readAll(res);
      const record = await findReportExport({ prisma: db.prisma, reportId, teamId: alfa.id });
      expect(record).toMatchObject({
        reportId,
        format,
        scope: "team",
        bytes: body.length,
        exportedBy: actor.actorLabel,
        contentSha256: createHash("sha256").update(body).digest("hex"),
      });
      expect(res.headers.get("x-skjold-ledger-head")).toBe(`${record.ledgerHead.seq}:${record.ledgerHead.hash}`);
      await expect(findReportExport({ prisma: db.prisma, reportId, teamId: beta.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(findReportExport({ prisma: db.prisma, reportId, teamId: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
      if (format === "json") {
        const json = JSON.parse(body.toString("utf8"));
        expect(json.team.slug).toBe("alfa");
        expect(json.locations.map((l: { resourceName: string }) => l.resourceName).sort()).toEqual([
          "Portal database (team accounts, members, audit log)",
          "web1",
          "web1-nightly",
        ]);
      }
      if (format === "pdf") expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    }
    expect((await listReportExports({ prisma: db.prisma, teamId: alfa.id })).map((e) => e.format)).toEqual(["pdf", "csv", "json"]);
    await expect(findReportExport({ prisma: db.prisma, reportId: "not-a-uuid", teamId: alfa.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("records nothing for an export the client abandons", async () => {
    const res = await createReportResponse({ prisma: db.prisma, query: { format: "pdf" }, actor: admin });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await expect(
      findReportExport({ prisma: db.prisma, reportId: res.headers.get("x-skjold-report-id")!, teamId: null }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
