import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { createLatencyTarget, regionLatency, runProbeRound, type ProbeExec } from "@/lib/latency";
import { createSshPool, type SshPool } from "@/lib/ssh";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { getLab, type Lab } from "../helpers/lab";
import { createLatencyNetns, type LatencyNetns } from "../helpers/netns";
import { makeHost, makeRegion } from "../helpers/netns-latency-data";

// The probe script run as the lab host's unprivileged SSH user over a pooled connection (the lab
// host is this machine, so it reaches the test namespace through the veth). Tolerance as in
// latency-round: the median lies in [DELAY_MS − 1, DELAY_MS + SLACK_MS] ms.
const DELAY_MS = 30;
const SLACK_MS = 25;
const ROUNDS = 3;

let lab: Lab;
let netns: LatencyNetns;
beforeAll(async () => {
  lab = getLab(); // fails with the command to run when the lab host is missing
  netns = await createLatencyNetns({ delayMs: DELAY_MS });
});
afterAll(async () => netns?.close());

describe.each(DB_KINDS)("latency probes over SSH to the lab host on %s", (kind) => {
  let db: Database;
  let pool: SshPool;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    pool = createSshPool();
  });
  afterAll(async () => {
    await pool?.close();
    await db?.close();
  });

  it("measures the injected delay from the host, one pooled SSH session for every round", async () => {
    const { prisma } = db;
    const region = await makeRegion(prisma, "osl1");
    await makeHost(prisma, { name: "lab-host", regionId: region.id });
    await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "rs-delayed", address: netns.delayedAddress, port: 179, method: "both" },
    });
    const exec: ProbeExec = (_host, _command, argv) =>
      pool.exec({ target: lab.target, argv, step: "probe latency", allowFailure: true, timeoutMs: 30_000 });

    for (let i = 0; i < ROUNDS; i++) {
      const round = await runProbeRound({ prisma, exec, force: true, now: new Date(Date.now() + i) });
      expect(round.hosts).toEqual([{ hostId: expect.any(String), hostName: "lab-host", error: null, samples: 2, failedSamples: 0 }]);
    }
    expect(pool.stats()).toMatchObject({ connectsOpened: 1, commandsRun: ROUNDS });

    const rows = await regionLatency({ prisma, regionId: region.id, window: "1h" });
    for (const r of rows) {
      expect(r).toMatchObject({ samples: ROUNDS, sent: 5 * ROUNDS, received: 5 * ROUNDS, loss: 0, status: "ok" });
      expect(r.medianMs, `${r.method} median`).toBeGreaterThanOrEqual(DELAY_MS - 1);
      expect(r.medianMs, `${r.method} median`).toBeLessThanOrEqual(DELAY_MS + SLACK_MS);
    }
    expect(rows.map((r) => r.method)).toEqual(["ICMP", "TCP"]);
  });
});
