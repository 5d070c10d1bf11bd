import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/session";
import type { Database } from "@/lib/db/connect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createLatencyTarget } from "@/lib/latency";
import { addLatencyTarget, editLatencyTarget, listLatencyTargets, removeLatencyTarget } from "@/lib/latency/admin";
import { currentRegionLatency } from "@/lib/latency/current";
import { authorizeMetricsScrape } from "@/lib/latency/metrics-access";
import { nixLatencyByRegion } from "@/lib/latency/nix-latency";
import { regionLatencyCharts, regionLatencyReport, regionLatencySeries } from "@/lib/latency/region-report";
import { LatencyTargetFormSchema } from "@/lib/latency/target-form";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeUser } from "../helpers/factories";
import { makeHost, makeRegion } from "../helpers/netns-latency-data";

// What the region pages, the region picker and the admin API show, from samples written at known
// times: fresh, stale and missing figures are told apart honestly.
const NOW = new Date("2026-11-29T12:00:00Z");
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000);

async function sample(
  prisma: PrismaClient,
  s: { hostId: string; regionId: string; targetId: string; at: Date; rtts: number[]; method?: "ICMP" | "TCP" },
) {
  await prisma.latencySample.create({
    data: {
      hostId: s.hostId,
      regionId: s.regionId,
      targetId: s.targetId,
      method: s.method ?? "ICMP",
      at: s.at,
      sent: 5,
      received: s.rtts.length,
      rttsMs: s.rtts,
      medianMs: null,
    },
  });
}

describe.each(DB_KINDS)("latency figures for the portal on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  it("tells fresh, stale and missing figures apart, and picks the NIX figure per region", async () => {
    const { prisma } = db;
    const osl = await makeRegion(prisma, "osl1", "Oslo");
    const bgo = await makeRegion(prisma, "bgo1", "Bergen");
    const fra = await makeRegion(prisma, "fra1", "Frankfurt");
    const hOsl = await makeHost(prisma, { name: "h-osl", regionId: osl.id });
    const hBgo = await makeHost(prisma, { name: "h-bgo", regionId: bgo.id });
    const hFra = await makeHost(prisma, { name: "h-fra", regionId: fra.id });
    const rs1 = await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "rs1", address: "192.0.2.10", intervalSec: 300 },
    });
    const rs2 = await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "rs2", address: "192.0.2.11", intervalSec: 300 },
    });
    const daily = await createLatencyTarget({
      prisma,
      input: { exchange: "BIX Bergen", name: "lg", address: "192.0.2.20", intervalSec: 86_400 },
    });

    await sample(prisma, { hostId: hOsl.id, regionId: osl.id, targetId: rs1.id, at: ago(2), rtts: [4, 4, 4, 4, 4] });
    await sample(prisma, { hostId: hOsl.id, regionId: osl.id, targetId: rs2.id, at: ago(2), rtts: [2, 2, 3, 2, 2] });
    await sample(prisma, { hostId: hBgo.id, regionId: bgo.id, targetId: rs1.id, at: ago(30), rtts: [9, 9, 9, 9, 9] }); // > 3 × 5 min
    await sample(prisma, { hostId: hBgo.id, regionId: bgo.id, targetId: daily.id, at: ago(10 * 60), rtts: [1, 1, 1, 1, 1] }); // daily target, 10 h ago
    await sample(prisma, { hostId: hFra.id, regionId: fra.id, targetId: rs1.id, at: ago(5 * 60), rtts: [30, 31, 30, 30, 30] }); // outside its 1 h window

    const rows = await currentRegionLatency({ prisma, regionId: "all", now: NOW });
    const status = Object.fromEntries(
      rows.map((r) => [`${r.regionCode}/${r.targetName}`, [r.status, r.medianMs, r.lastAt?.toISOString() ?? null]]),
    );
    expect(status).toEqual({
      "bgo1/lg": ["ok", 1, ago(600).toISOString()],
      "bgo1/rs1": ["stale", 9, ago(30).toISOString()],
      "bgo1/rs2": ["no-data", null, null],
      "fra1/lg": ["no-data", null, null],
      "fra1/rs1": ["stale", null, ago(300).toISOString()],
      "fra1/rs2": ["no-data", null, null],
      "osl1/lg": ["no-data", null, null],
      "osl1/rs1": ["ok", 4, ago(2).toISOString()],
      "osl1/rs2": ["ok", 2, ago(2).toISOString()],
    });

    const nix = await nixLatencyByRegion({ prisma, now: NOW });
    expect(nix.osl1).toMatchObject({ exchange: "NIX Oslo", targetName: "rs2", medianMs: 2, status: "ok" }); // the nearer route server
    expect(nix.bgo1).toMatchObject({ exchange: "NIX Oslo", targetName: "rs1", medianMs: 9, status: "stale" });
    expect(nix.fra1).toMatchObject({ exchange: "NIX Oslo", medianMs: null, status: "stale", lastAt: ago(300) });

    // Without a NIX exchange, the first configured exchange is the picker's figure.
    await prisma.latencyTarget.updateMany({ where: { exchange: "NIX Oslo" }, data: { enabled: false } });
    expect(Object.values(await nixLatencyByRegion({ prisma, now: NOW })).map((f) => [f.regionCode, f.exchange, f.status])).toEqual([
      ["bgo1", "BIX Bergen", "ok"],
      ["fra1", "BIX Bergen", "no-data"],
      ["osl1", "BIX Bergen", "no-data"],
    ]);
    await prisma.latencyTarget.updateMany({ where: { exchange: "NIX Oslo" }, data: { enabled: true } });

    const report = await regionLatencyReport({ prisma, code: "osl1", includeInactive: false, now: NOW });
    expect(report.region).toMatchObject({ code: "osl1", country: "NO", jurisdiction: "NO_EEA" });
    expect(report.figures.map((f) => f.targetName)).toEqual(["lg", "rs1", "rs2"]);
    await prisma.region.update({ where: { id: fra.id }, data: { active: false } });
    await expect(regionLatencyReport({ prisma, code: "fra1", includeInactive: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(regionLatencyReport({ prisma, code: "fra1", includeInactive: true })).resolves.toMatchObject({
      region: { active: false },
    });
    await expect(regionLatencyReport({ prisma, code: "../etc", includeInactive: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("charts one line pair per method with gaps for buckets without a reply, and validates series queries", async () => {
    const { prisma } = db;
    const osl = await prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const host = await prisma.host.findFirstOrThrow({ where: { regionId: osl.id } });
    const both = await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "rs3", address: "192.0.2.12", port: 179, method: "both" },
    });
    await sample(prisma, { hostId: host.id, regionId: osl.id, targetId: both.id, at: ago(50), rtts: [5, 6, 7, 8, 9] });
    await sample(prisma, { hostId: host.id, regionId: osl.id, targetId: both.id, at: ago(50), rtts: [3, 3, 3], method: "TCP" });
    await sample(prisma, { hostId: host.id, regionId: osl.id, targetId: both.id, at: ago(10), rtts: [] });

    const charts = await regionLatencyCharts({ prisma, regionId: osl.id, window: "1h", now: NOW });
    const rs3 = charts.find((c) => c.name === "rs3")!;
    expect(rs3.lines.map((l) => l.key)).toEqual(["icmp_median", "icmp_p95", "tcp_median", "tcp_p95"]);
    expect(rs3.stepMs).toBe(300_000);
    expect(rs3.rows).toEqual([
      { t: Date.UTC(2026, 10, 29, 11, 10), icmp_median: 7, icmp_p95: 9, tcp_median: 3, tcp_p95: 3 },
      { t: Date.UTC(2026, 10, 29, 11, 50), icmp_median: null, icmp_p95: null, tcp_median: null, tcp_p95: null },
    ]);
    expect(charts.find((c) => c.name === "lg")!.rows).toEqual([]);

    const series = await regionLatencySeries({
      prisma,
      code: "osl1",
      includeInactive: false,
      query: { target: both.id, method: "tcp", from: ago(60).toISOString(), to: NOW.toISOString() },
    });
    expect(series.points.map((p) => [p.medianMs, p.loss])).toEqual([[3, 0.4]]);
    const bad = (query: unknown) => regionLatencySeries({ prisma, code: "osl1", includeInactive: false, query, now: NOW });
    await expect(bad({ target: "x" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(bad({ target: both.id, from: "yesterday" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(bad({ target: both.id, extra: "1" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(bad({ target: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(bad({ target: both.id, from: NOW.toISOString(), to: ago(5).toISOString() })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("lets only platform admins manage targets, audits each change, and reads the admin form", async () => {
    const { prisma } = db;
    const { principal: admin } = await makeUser(prisma, { isAdmin: true });
    const { principal: member } = await makeUser(prisma);
    const form = LatencyTargetFormSchema.parse({
      exchange: "NIX Oslo",
      name: "lg-form",
      address: "lg.example.net",
      port: "",
      method: "icmp",
      count: "3",
      intervalSec: "600",
      enabled: "on",
    });
    expect(form).toEqual({
      exchange: "NIX Oslo",
      name: "lg-form",
      address: "lg.example.net",
      port: null,
      method: "icmp",
      count: 3,
      intervalSec: 600,
      enabled: true,
    });
    expect(LatencyTargetFormSchema.safeParse({ ...form, port: "17 9", count: "3", intervalSec: "600" }).success).toBe(false);

    await expect(addLatencyTarget({ prisma, principal: member, input: form })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const created = await addLatencyTarget({ prisma, principal: admin, input: form });
    expect(created).toMatchObject({ name: "lg-form", method: "icmp", count: 3, intervalSec: 600, enabled: true });
    await expect(addLatencyTarget({ prisma, principal: admin, input: form })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(editLatencyTarget({ prisma, principal: admin, id: created.id, input: { method: "tcp" } })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    expect(
      await editLatencyTarget({ prisma, principal: admin, id: created.id, input: { method: "both", port: 443, enabled: false } }),
    ).toMatchObject({ method: "both", port: 443, enabled: false });
    await expect(editLatencyTarget({ prisma, principal: member, id: created.id, input: { enabled: true } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(listLatencyTargets({ prisma, principal: member, page: { limit: 50 } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listLatencyTargets({ prisma, principal: admin, page: { limit: 50 } })).items.some((t) => t.name === "lg-form")).toBe(
      true,
    );
    await removeLatencyTarget({ prisma, principal: admin, id: created.id });
    await expect(removeLatencyTarget({ prisma, principal: admin, id: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const audit = await prisma.auditEvent.findMany({ where: { targetId: created.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
      ["latency.target.create", admin.email],
      ["latency.target.update", admin.email],
      ["latency.target.delete", admin.email],
    ]);
  });

  it("lets a Prometheus token or an admin session scrape metrics, and nobody else", async () => {
    const { prisma } = db;
    const token = "m".repeat(40);
    const { user: adminUser } = await makeUser(prisma, { isAdmin: true });
    const { user: memberUser } = await makeUser(prisma);
    const adminSession = (await createSession({ prisma, userId: adminUser.id, mfaVerified: true })).token;
    const memberSession = (await createSession({ prisma, userId: memberUser.id, mfaVerified: true })).token;
    const scrape = (o: { authorization?: string; session?: string; metricsToken?: string }) =>
      authorizeMetricsScrape({ prisma, authorization: o.authorization ?? null, sessionToken: o.session, metricsToken: o.metricsToken });

    await expect(scrape({ authorization: `Bearer ${token}`, metricsToken: token })).resolves.toBeUndefined();
    await expect(scrape({ authorization: `Bearer ${token}x`, metricsToken: token })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(scrape({ authorization: `Bearer ${token}` })).rejects.toMatchObject({ code: "UNAUTHENTICATED" }); // variable not set
    await expect(scrape({ authorization: `Basic ${token}`, metricsToken: token })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(scrape({ session: adminSession })).resolves.toBeUndefined();
    await expect(scrape({ session: memberSession })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(scrape({})).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
