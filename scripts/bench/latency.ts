// Latency probe round benchmark: 50 hosts × 3 targets (ICMP and TCP each) per round.
//   npx tsx scripts/bench/latency.ts [--hosts 50] [--rounds 5]
// Hosts are simulated by a counting exec that answers like the real probe script (iputils ping text
// and TCP try-lines, with this round's nonce), so the figures are the portal's own cost: SSH
// sessions and commands per round, and the portal process's CPU time per round (process.cpuUsage).
// Baseline, measured in the same run: one command per probe (the obvious design), each on a new SSH
// session, each sample inserted on its own. Runs on PostgreSQL (127.0.0.1:5432, scratch database)
// and on the embedded PGlite, whose CPU time is inside the portal process.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/connect";
import { createLatencyTarget, runProbeRound, type ExecResult, type ProbeExec, type ProbeHost } from "@/lib/latency";
import { buildProbeScript } from "@/lib/latency/script";
import { parseProbeOutput } from "@/lib/latency/parse-output";
import { median } from "@/lib/latency/stats";

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] || dflt) || dflt;
const HOSTS = arg("hosts", 50);
const ROUNDS = arg("rounds", 5);
const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

function pingText(address: string, count: number): string {
  const rtts = Array.from({ length: count }, () => (1 + Math.random() * 10).toFixed(3));
  return [
    `PING ${address} (${address}) 56(84) bytes of data.`,
    ...rtts.map((t, i) => `64 bytes from ${address}: icmp_seq=${i + 1} ttl=58 time=${t} ms`),
    "",
    `--- ${address} ping statistics ---`,
    `${count} packets transmitted, ${count} received, 0% packet loss, time ${count * 200}ms`,
    "rtt min/avg/max/mdev = 1.000/5.000/11.000/2.000 ms",
  ].join("\n");
}

function tcpText(count: number): string {
  const t0 = 1_795_996_532_000_000;
  return Array.from({ length: count }, (_, i) => {
    const a = t0 + i * 200_000;
    const b = a + 1000 + Math.floor(Math.random() * 10_000);
    return `try ${i + 1} 0 ${Math.floor(a / 1e6)}.${String(a % 1e6).padStart(6, "0")} ${Math.floor(b / 1e6)}.${String(b % 1e6).padStart(6, "0")}`;
  }).join("\n");
}

/** Answers a probe script as a healthy Debian host would. */
function simulateHost(body: string): ExecResult {
  const nonce = /^n=([0-9a-f]{16})$/m.exec(body)![1]!;
  const out = [`SKJOLD-PROBE 1 ${nonce}`];
  for (const m of body.matchAll(/^(icmp|tcp) "\$d\/(\d+)\.\w+" (\d+) \d+ (?:\d+ )?(\S+)/gm)) {
    const [, kind, i, count, address] = m;
    out.push(
      `BEGIN ${nonce} ${i} ${kind}`,
      kind === "icmp" ? pingText(address!, Number(count)) : tcpText(Number(count)),
      `END ${nonce} ${i} ${kind} 0`,
    );
  }
  out.push(`DONE ${nonce}`);
  return { stdout: `${out.join("\n")}\n`, stderr: "", code: 0 };
}

interface Counter {
  sessions: number;
  commands: number;
}

/** A pooled exec: the first command to a host opens its session, later ones reuse it. */
function pooledExec(counter: Counter): ProbeExec {
  const open = new Set<string>();
  return async (host, _command, argv) => {
    if (!open.has(host.id)) open.add(host.id), counter.sessions++;
    counter.commands++;
    return simulateHost(argv[4]!);
  };
}

/** The baseline design: one command per probe on a fresh session, one insert per sample. */
async function perProbeRound(db: Database, hosts: ProbeHost[], counter: Counter): Promise<void> {
  const targets = await db.prisma.latencyTarget.findMany({ where: { enabled: true } });
  const at = new Date();
  await Promise.allSettled(
    hosts.map(async (host) => {
      for (const t of targets) {
        for (const kind of ["icmp", "tcp"] as const) {
          const one = [{ ...t, icmp: kind === "icmp", tcp: kind === "tcp" }];
          const { argv, nonce } = buildProbeScript({ targets: one });
          counter.sessions++;
          counter.commands++;
          const res = simulateHost(argv[4]!);
          for (const { measurement: m } of parseProbeOutput({ stdout: res.stdout, nonce, targets: one })) {
            await db.prisma.latencySample.create({
              data: {
                hostId: host.id,
                regionId: host.regionId,
                targetId: t.id,
                method: m.method,
                at,
                sent: m.sent,
                received: m.received,
                rttsMs: m.rttsMs,
                medianMs: median(m.rttsMs),
                error: m.error,
              },
            });
          }
        }
      }
    }),
  );
}

async function measure(label: string, rounds: number, round: () => Promise<void>, counter: Counter) {
  await round(); // warm-up (JIT, connections); its sessions are the pool's first opens
  const first = { ...counter };
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await round();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    wall.push(performance.now() - w0);
  }
  return {
    label,
    firstRoundSessions: first.sessions,
    sessionsPerLaterRound: (counter.sessions - first.sessions) / rounds,
    commandsPerRound: (counter.commands - first.commands) / rounds,
    cpuMsPerRound: median(cpu)!,
    wallMsPerRound: median(wall)!,
  };
}

async function setup(db: Database): Promise<ProbeHost[]> {
  const region = await db.prisma.region.create({
    data: { code: "osl1", name: "Oslo", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
  });
  for (const [exchange, name, address] of [
    ["NIX Oslo", "rs1", "198.51.100.1"],
    ["NIX Oslo", "rs2", "198.51.100.2"],
    ["BIX Bergen", "lg", "203.0.113.1"],
  ]) {
    await createLatencyTarget({
      prisma: db.prisma,
      input: { exchange: exchange!, name: name!, address: address!, port: 179, method: "both" },
    });
  }
  const hosts: ProbeHost[] = [];
  for (let i = 0; i < HOSTS; i++) {
    const h = await db.prisma.host.create({
      data: {
        name: `host-${i}`,
        regionId: region.id,
        address: "127.0.0.1",
        username: "skjold",
        privateKeyEnc: "x",
        publicKey: "x",
        status: "ONLINE",
      },
    });
    hosts.push({ id: h.id, name: h.name, regionId: h.regionId, address: h.address, port: h.port, username: h.username });
  }
  return hosts;
}

async function benchOn(kind: "postgres" | "embedded") {
  const name = `skjold_bench_latency_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  if (kind === "postgres") await admin.connect(), await admin.query(`CREATE DATABASE ${name}`);
  const db = await openDatabase(kind === "postgres" ? { kind, url: ADMIN_URL.replace(/\/postgres$/, `/${name}`), poolSize: 10 } : { kind });
  try {
    const hosts = await setup(db);
    const batchedCounter = { sessions: 0, commands: 0 };
    const exec = pooledExec(batchedCounter);
    const batched = await measure(
      "batched",
      ROUNDS,
      async () => void (await runProbeRound({ prisma: db.prisma, exec, force: true })),
      batchedCounter,
    );
    const baseCounter = { sessions: 0, commands: 0 };
    const baseline = await measure("per-probe", ROUNDS, () => perProbeRound(db, hosts, baseCounter), baseCounter);
    return {
      kind,
      batched,
      baseline,
      cpuRatio: batched.cpuMsPerRound / baseline.cpuMsPerRound,
      sessionRatio: batched.firstRoundSessions / baseline.sessionsPerLaterRound,
    };
  } finally {
    await db.close();
    if (kind === "postgres") await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), await admin.end();
  }
}

for (const kind of ["postgres", "embedded"] as const) {
  const r = await benchOn(kind);
  console.log(`\n${kind}: ${HOSTS} hosts × 3 targets × (ICMP + TCP), median of ${ROUNDS} rounds`);
  for (const m of [r.baseline, r.batched]) {
    console.log(
      `  ${m.label.padEnd(9)} sessions first round ${String(m.firstRoundSessions).padStart(4)}, later rounds ${String(m.sessionsPerLaterRound).padStart(4)}, ` +
        `commands/round ${String(m.commandsPerRound).padStart(4)}, CPU ${m.cpuMsPerRound.toFixed(0).padStart(5)} ms/round, wall ${m.wallMsPerRound.toFixed(0).padStart(5)} ms/round`,
    );
  }
  console.log(`  ratio batched/per-probe: CPU ${r.cpuRatio.toFixed(3)}, SSH sessions opened (first round) ${r.sessionRatio.toFixed(3)}`);
}
