import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { createLatencyTarget, latencySeries, rollupLatency } from "@/lib/latency";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeHost, makeRegion } from "../helpers/netns-latency-data";

const H = 3_600_000;
const NOW = new Date("2026-11-29T12:00:00Z");
const hoursAgo = (h: number, extraMin = 0) => new Date(NOW.getTime() - h * H + extraMin * 60_000);

describe.each(DB_KINDS)("latency roll-ups and series on %s", (kind) => {
  let db: Database;
  let ids: { regionId: string; targetId: string; hosts: string[] };
  const sample = (host: number, at: Date, rttsMs: number[], sent = rttsMs.length) => ({
    hostId: ids.hosts[host]!,
    regionId: ids.regionId,
    targetId: ids.targetId,
    method: "ICMP" as const,
    at,
    sent,
    received: rttsMs.length,
    rttsMs,
  });

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const region = await makeRegion(db.prisma, "osl1");
    const hosts = [
      await makeHost(db.prisma, { name: "a", regionId: region.id }),
      await makeHost(db.prisma, { name: "b", regionId: region.id }),
    ];
    const target = await createLatencyTarget({ prisma: db.prisma, input: { exchange: "NIX Oslo", name: "rs1", address: "198.51.100.7" } });
    ids = { regionId: region.id, targetId: target.id, hosts: hosts.map((h) => h.id) };
    await db.prisma.latencySample.createMany({
      data: [
        sample(0, hoursAgo(50, 5), [10, 12, 11]),
        sample(0, hoursAgo(50, 35), [14, 10], 3),
        sample(1, hoursAgo(50, 10), [20, 20]),
        sample(0, hoursAgo(49, 1), [9, 9, 9]),
        { ...sample(0, hoursAgo(49, 2), []), sent: 0, error: "host unreachable: timeout" },
        sample(0, hoursAgo(1), [5, 7]),
      ],
    });
  });
  afterAll(async () => db?.close());

  it("rolls up samples older than 48 h per host and hour, then deletes them", async () => {
    const r = await rollupLatency({ prisma: db.prisma, now: NOW });
    expect(r).toMatchObject({ hours: 2, samplesRolledUp: 5, rollupsWritten: 3, skippedHours: 0 });
    const rows = await db.prisma.latencyRollup.findMany({ orderBy: [{ hour: "asc" }, { medianMs: "asc" }] });
    expect(rows.map((x) => [x.hour.toISOString(), x.samples, x.sent, x.received, x.medianMs, x.p95Ms])).toEqual([
      ["2026-11-27T10:00:00.000Z", 2, 6, 5, 11, 14],
      ["2026-11-27T10:00:00.000Z", 1, 2, 2, 20, 20],
      ["2026-11-27T11:00:00.000Z", 2, 3, 3, 9, 9],
    ]);
    expect(rows[0]!.jitterMs).toBeCloseTo((2 + 1 + 4) / 3); // |12−10|, |11−12| in one run, |10−14| in the other
    expect(await db.prisma.latencySample.count()).toBe(1);
    expect(await rollupLatency({ prisma: db.prisma, now: NOW })).toMatchObject({ hours: 0, samplesRolledUp: 0 });
  });

  it("merges a late sample into its hour instead of replacing the roll-up", async () => {
    await db.prisma.latencySample.create({ data: sample(1, hoursAgo(50, 50), [30, 30]) });
    await rollupLatency({ prisma: db.prisma, now: NOW });
    const b = await db.prisma.latencyRollup.findFirstOrThrow({ where: { hostId: ids.hosts[1], hour: hoursAgo(50) } });
    expect(b).toMatchObject({ samples: 2, sent: 4, received: 4, medianMs: 25 });
  });

  it("never counts a sample twice when two workers roll up at once", async () => {
    const base = hoursAgo(60);
    await db.prisma.latencySample.createMany({
      data: Array.from({ length: 40 }, (_, i) => sample(i % 2, new Date(base.getTime() + i * 60_000), [1, 2])),
    });
    const results = await Promise.all([rollupLatency({ prisma: db.prisma, now: NOW }), rollupLatency({ prisma: db.prisma, now: NOW })]);
    expect(results[0]!.samplesRolledUp + results[1]!.samplesRolledUp).toBe(40);
    const sum = await db.prisma.latencyRollup.aggregate({
      where: { hour: { gte: base, lt: new Date(base.getTime() + H) } },
      _sum: { samples: true, sent: true },
    });
    expect(sum._sum).toEqual({ samples: 40, sent: 80 });
  });

  it("prunes roll-ups older than 400 days", async () => {
    const old = {
      hostId: ids.hosts[0]!,
      regionId: ids.regionId,
      targetId: ids.targetId,
      method: "ICMP" as const,
      samples: 1,
      sent: 1,
      received: 1,
    };
    await db.prisma.latencyRollup.create({ data: { ...old, hour: new Date(NOW.getTime() - 401 * 24 * H) } });
    expect((await rollupLatency({ prisma: db.prisma, now: NOW })).rollupsPruned).toBe(1);
  });

  it("serves a chart series from roll-ups and raw samples together", async () => {
    const { stepMs, points } = await latencySeries({
      prisma: db.prisma,
      regionId: ids.regionId,
      targetId: ids.targetId,
      from: hoursAgo(52),
      to: NOW,
    });
    expect(stepMs).toBe(15 * 60_000);
    expect(points.map((p) => [p.at.toISOString(), p.source, p.samples])).toEqual([
      ["2026-11-27T10:00:00.000Z", "rollup", 4],
      ["2026-11-27T11:00:00.000Z", "rollup", 2],
      ["2026-11-29T11:00:00.000Z", "raw", 1],
    ]);
    expect(points[2]).toMatchObject({ medianMs: 6, p95Ms: 7, jitterMs: 2, loss: 0 });
    expect(points[1]).toMatchObject({ medianMs: 9, loss: 0 });
    await expect(
      latencySeries({ prisma: db.prisma, regionId: ids.regionId, targetId: ids.targetId, from: NOW, to: hoursAgo(1) }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
