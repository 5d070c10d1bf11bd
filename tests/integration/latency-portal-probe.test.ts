import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { runSchedules } from "@/lib/jobs/schedules";
import { createLatencyTarget, regionLatency, runProbeRound } from "@/lib/latency";
import { nixLatencyByRegion } from "@/lib/latency/nix-latency";
import { sshProbeExec } from "@/lib/latency/probe-exec";
import { latencyScheduledTasks } from "@/lib/latency/scheduled-tasks";
import { createSshPool, type SshPool } from "@/lib/ssh";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { getLab, type Lab } from "../helpers/lab";
import { createLatencyNetns, type LatencyNetns } from "../helpers/netns";
import { makeRegion } from "../helpers/netns-latency-data";

// The portal's real probe path: a Host row for the lab host (key encrypted at rest, host key
// pinned) → sshProbeExec → the host's pooled SSH connection → the probe script → a namespace
// target that answers after DELAY_MS. Tolerance as in the latency domain's own tests.
const DELAY_MS = 40;
const SLACK_MS = 25;

let lab: Lab;
let netns: LatencyNetns;
beforeAll(async () => {
  lab = getLab();
  netns = await createLatencyNetns({ delayMs: DELAY_MS });
});
afterAll(async () => netns?.close());

async function labHost(prisma: PrismaClient, regionId: string, opts: { name: string; fingerprint?: string }) {
  return prisma.host.create({
    data: {
      name: opts.name,
      regionId,
      address: lab.address,
      port: lab.port,
      username: lab.username,
      privateKeyEnc: encryptSecret(lab.target.privateKey),
      publicKey: lab.publicKey,
      hostKeyFingerprint: opts.fingerprint ?? lab.hostKeyFingerprint,
      hostKeyPinnedAt: new Date(),
      status: "ONLINE",
    },
  });
}

describe.each(DB_KINDS)("probing from a real host through sshProbeExec on %s", (kind) => {
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

  it("measures the injected delay from the lab host and reports it as the region's NIX figure", async () => {
    const { prisma } = db;
    const osl = await makeRegion(prisma, "osl1", "Oslo");
    await labHost(prisma, osl.id, { name: "lab-osl" });
    await createLatencyTarget({
      prisma,
      input: { exchange: "NIX Oslo", name: "rs1", address: netns.delayedAddress, port: 179, method: "both", count: 5 },
    });

    const round = await runProbeRound({ prisma, exec: sshProbeExec({ prisma, pool }), force: true });
    expect(round.hosts).toEqual([{ hostId: expect.any(String), hostName: "lab-osl", error: null, samples: 2, failedSamples: 0 }]);

    const rows = await regionLatency({ prisma, regionId: osl.id, window: "1h" });
    expect(rows.map((r) => r.method)).toEqual(["ICMP", "TCP"]);
    for (const r of rows) {
      expect(r).toMatchObject({ sent: 5, received: 5, loss: 0, status: "ok" });
      expect(r.medianMs, `${r.method} median`).toBeGreaterThanOrEqual(DELAY_MS - 1);
      expect(r.medianMs, `${r.method} median`).toBeLessThanOrEqual(DELAY_MS + SLACK_MS);
    }
    const figures = await nixLatencyByRegion({ prisma });
    expect(Object.keys(figures)).toEqual(["osl1"]);
    expect(figures.osl1).toMatchObject({ exchange: "NIX Oslo", targetName: "rs1", status: "ok" });
    expect(figures.osl1!.medianMs).toBe(Math.min(...rows.map((r) => r.medianMs!)));
  });

  it("does not probe through a host whose presented key differs from the pinned one", async () => {
    const { prisma } = db;
    const bgo = await makeRegion(prisma, "bgo1", "Bergen");
    const impostorPin = `SHA256:${"A".repeat(43)}`;
    await labHost(prisma, bgo.id, { name: "lab-bgo-wrong-pin", fingerprint: impostorPin });

    const round = await runProbeRound({ prisma, exec: sshProbeExec({ prisma, pool }), force: true });
    const wrong = round.hosts.find((h) => h.hostName === "lab-bgo-wrong-pin")!;
    expect(wrong).toMatchObject({ samples: 2, failedSamples: 2 });
    expect(wrong.error).toMatch(/^host unreachable: .*host key/i);
    const [bgoRow] = await regionLatency({ prisma, regionId: bgo.id, window: "1h" });
    expect(bgoRow).toMatchObject({ status: "no-data", medianMs: null, sent: 0 });
    // The correctly pinned host in the other region kept measuring in the same round.
    expect(round.hosts.find((h) => h.hostName === "lab-osl")).toMatchObject({ error: null, failedSamples: 0 });
  });

  it("runs the probe and roll-up schedules once per interval across two workers", async () => {
    const { prisma } = db;
    const lines: string[] = [];
    const tasks = latencyScheduledTasks({ exec: (p) => sshProbeExec({ prisma: p, pool }), log: (l) => lines.push(l) });
    expect(tasks.map((t) => [t.name, t.intervalSec])).toEqual([
      ["latency.probe", 60],
      ["latency.rollup", 3600],
    ]);
    // Everything was probed a moment ago by the tests above: nothing is due, so nothing new is stored.
    const before = await prisma.latencySample.count();
    const [a, b] = await Promise.all([
      runSchedules({ prisma, workerId: "worker-a", tasks }),
      runSchedules({ prisma, workerId: "worker-b", tasks }),
    ]);
    expect([...a.ran, ...b.ran].sort()).toEqual(["latency.probe", "latency.rollup"]);
    expect([...a.failed, ...b.failed]).toEqual([]);
    expect(await prisma.latencySample.count()).toBe(before);

    // Make the targets due (their newest samples an interval old): the next claimed tick probes them.
    await prisma.latencySample.updateMany({ data: { at: new Date(Date.now() - 600_000) } });
    await prisma.schedule.update({ where: { name: "latency.probe" }, data: { nextRunAt: new Date(Date.now() - 1000) } });
    const again = await runSchedules({ prisma, workerId: "worker-a", tasks });
    expect(again.ran).toEqual(["latency.probe"]);
    expect(await prisma.latencySample.count()).toBe(before + 4);
    expect(lines).toEqual([expect.stringMatching(/^\[latency\] lab-bgo-wrong-pin: host unreachable: /)]);
  });
});
