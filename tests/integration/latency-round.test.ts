import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import {
  createLatencyTarget,
  regionLatency,
  renderLatencyMetrics,
  runProbeRound,
  type ProbeExec,
  type ProbeRoundResult,
} from "@/lib/latency";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { createLatencyNetns, type LatencyNetns } from "../helpers/netns";
import { localShellExec, makeHost, makeRegion } from "../helpers/netns-latency-data";

// A full probe round through a real shell against a namespace whose responder adds DELAY_MS to
// every ICMP echo and TCP handshake. Tolerance: the measured median must lie in
// [DELAY_MS − 1, DELAY_MS + SLACK_MS] ms: nothing can answer faster than the delay, and the slack
// covers the TUN/socat/UDP relay on a busy two-core machine while staying below the delay itself,
// so a missing delay or a doubled one fails.
const DELAY_MS = 40;
const SLACK_MS = 25;
const inTolerance = (ms: number | null) => ms !== null && ms >= DELAY_MS - 1 && ms <= DELAY_MS + SLACK_MS;

let lab: LatencyNetns;
beforeAll(async () => {
  lab = await createLatencyNetns({ delayMs: DELAY_MS });
});
afterAll(async () => lab?.close());

describe.each(DB_KINDS)("a latency probe round on %s", (kind) => {
  let db: Database;
  let round: ProbeRoundResult;
  const called = new Set<string>();
  let othersStoredWhileSlowHostHung = false;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const { prisma } = db;
    const osl = await makeRegion(prisma, "osl1", "Oslo");
    const bgo = await makeRegion(prisma, "bgo1", "Bergen");
    const good = [await makeHost(prisma, { name: "osl-a", regionId: osl.id }), await makeHost(prisma, { name: "osl-b", regionId: osl.id })];
    await makeHost(prisma, { name: "bgo-down", regionId: bgo.id });
    await makeHost(prisma, { name: "bgo-garbage", regionId: bgo.id });
    await makeHost(prisma, { name: "bgo-slow", regionId: bgo.id });
    await makeHost(prisma, { name: "bgo-offline", regionId: bgo.id, status: "OFFLINE" });
    await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "rs-delayed", address: lab.delayedAddress, port: 179, method: "both" },
    });
    await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "closed-port", address: lab.directAddress, port: 179, method: "tcp", count: 2 },
    });
    await createLatencyTarget({ prisma, input: { exchange: "BIX Bergen", name: "no-owner", address: lab.unreachableAddress, count: 3 } });

    const exec: ProbeExec = async (host, command, argv) => {
      called.add(host.name);
      if (host.name === "bgo-down") throw new Error("connect ECONNREFUSED 127.0.0.1:2299");
      if (host.name === "bgo-garbage") return { stdout: "\x1b[2J\x00garbage\n".repeat(50), stderr: "", code: 0 };
      if (host.name === "bgo-slow") {
        // Hang until both good hosts' samples are stored: if the round waited for this host
        // before doing the others, this would never see them and the host would time out first.
        const ids = good.map((h) => h.id);
        for (let i = 0; i < 400 && !othersStoredWhileSlowHostHung; i++) {
          othersStoredWhileSlowHostHung =
            (await prisma.latencySample.groupBy({ by: ["hostId"], where: { hostId: { in: ids } } })).length === 2;
          await new Promise((r) => setTimeout(r, 50));
        }
        return new Promise(() => undefined);
      }
      return localShellExec(host, command, argv);
    };
    round = await runProbeRound({ prisma, exec, now: new Date(), hostTimeoutMs: 12_000, concurrency: 8 });
  });
  afterAll(async () => db?.close());

  const samplesOf = async (host: string) =>
    db.prisma.latencySample.findMany({
      where: { host: { name: host } },
      include: { target: true },
      orderBy: [{ target: { name: "asc" } }, { method: "asc" }],
    });

  it("measures the injected delay over ICMP and over the TCP handshake from every good host", async () => {
    for (const host of ["osl-a", "osl-b"]) {
      const rows = await samplesOf(host);
      const delayed = rows.filter((r) => r.target.name === "rs-delayed");
      expect(delayed.map((r) => [r.method, r.sent, r.received, r.error])).toEqual([
        ["ICMP", 5, 5, null],
        ["TCP", 5, 5, null],
      ]);
      for (const r of delayed) expect(inTolerance(r.medianMs), `${host} ${r.method} ${r.rttsMs.join(" ")}`).toBe(true);
    }
  });

  it("records a closed port and an address nobody owns as loss with the reason", async () => {
    const rows = await samplesOf("osl-a");
    expect(rows.find((r) => r.target.name === "closed-port")).toMatchObject({
      method: "TCP",
      sent: 2,
      received: 0,
      error: "connection refused (nothing listens on that port)",
    });
    expect(rows.find((r) => r.target.name === "no-owner")).toMatchObject({
      method: "ICMP",
      sent: 3,
      received: 0,
      error: expect.stringMatching(/^no reply/),
    });
  });

  it("fails only the broken hosts' samples, each with its reason, and never probes an offline host", async () => {
    const reasons = async (host: string) => [...new Set((await samplesOf(host)).map((r) => `${r.sent}:${r.error}`))];
    expect(await reasons("bgo-down")).toEqual(["0:host unreachable: connect ECONNREFUSED 127.0.0.1:2299"]);
    expect(await reasons("bgo-garbage")).toEqual([expect.stringMatching(/^0:the probe script did not run on the host/)]);
    expect(await reasons("bgo-slow")).toEqual(["0:host unreachable: no answer within 12 s"]);
    expect(othersStoredWhileSlowHostHung).toBe(true);
    expect(called.has("bgo-offline")).toBe(false);
    expect(round.hosts.map((h) => [h.hostName, h.samples])).toEqual([
      ["bgo-down", 4],
      ["bgo-garbage", 4],
      ["bgo-slow", 4],
      ["osl-a", 4],
      ["osl-b", 4],
    ]);
  });

  it("summarises per region and target with status, and goes stale after three intervals", async () => {
    const { prisma } = db;
    const osl = await prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const rows = await regionLatency({ prisma, regionId: osl.id, window: "1h", now: round.at });
    const icmp = rows.find((r) => r.targetName === "rs-delayed" && r.method === "ICMP")!;
    expect(icmp).toMatchObject({
      exchange: "NIX Oslo",
      hosts: 2,
      samples: 2,
      sent: 10,
      received: 10,
      loss: 0,
      status: "ok",
      lastAt: round.at,
    });
    expect(inTolerance(icmp.medianMs), `median ${icmp.medianMs}`).toBe(true);
    expect(icmp.p95Ms).toBeGreaterThanOrEqual(icmp.medianMs!);
    expect(icmp.jitterMs).toBeGreaterThanOrEqual(0);
    expect(icmp.jitterMs).toBeLessThan(DELAY_MS);
    expect(rows.find((r) => r.targetName === "closed-port")).toMatchObject({
      loss: 1,
      failedSamples: 2,
      status: "no-data",
      lastError: expect.stringMatching(/refused/),
    });

    const all = await regionLatency({ prisma, regionId: "all", window: "1h", now: round.at });
    expect(all).toHaveLength(2 * 4); // 2 regions × (rs-delayed ICMP + TCP, closed-port TCP, no-owner ICMP)
    expect(all.filter((r) => r.regionCode === "bgo1").map((r) => r.status)).toEqual(["no-data", "no-data", "no-data", "no-data"]);
    const later = new Date(round.at.getTime() + 3 * 300_000 + 1000);
    expect(
      (await regionLatency({ prisma, regionId: osl.id, window: "1h", now: later })).find((r) => r.targetName === "rs-delayed")?.status,
    ).toBe("stale");
    await expect(regionLatency({ prisma, regionId: osl.id, window: "30d" })).rejects.toThrow(/at most 48h/);
  });

  it("exports the figures as Prometheus metrics", async () => {
    const text = await renderLatencyMetrics({ prisma: db.prisma, now: round.at });
    const line = text
      .split("\n")
      .find((l) => l.startsWith('skjold_latency_median_ms{region="osl1",exchange="NIX Oslo",target="rs-delayed",method="tcp"}'));
    expect(inTolerance(Number(line?.split(" ").at(-1)))).toBe(true);
    expect(text).not.toMatch(/skjold_latency_median_ms\{region="bgo1"/);
  });

  it("skips targets that are not due yet unless forced", async () => {
    const exec: ProbeExec = async () => ({ stdout: "", stderr: "", code: 0 });
    expect((await runProbeRound({ prisma: db.prisma, exec, now: new Date(round.at.getTime() + 60_000) })).targets).toBe(0);
    const due = await runProbeRound({ prisma: db.prisma, exec, now: new Date(round.at.getTime() + 280_000) });
    expect(due.targets).toBe(3);
  });
});
