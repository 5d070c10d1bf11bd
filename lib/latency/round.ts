import type { PrismaClient } from "../generated/prisma/client";
import type { LatencyTarget } from "../generated/prisma/client";
import { failedMeasurement, sanitizeForReason, type Measurement } from "./measurement";
import { parseProbeOutput } from "./parse-output";
import { buildProbeScript, PROBE_SPACING_SEC, PROBE_TIMEOUT_SEC } from "./script";
import { median } from "./stats";
import { dueTargets } from "./due";

// One probe round: every ONLINE host runs one script (one command over its pooled SSH connection)
// that probes every due target, and every probe becomes a LatencySample. Hosts run concurrently
// with their own timeout; a host that is slow, unreachable or prints garbage only fails its own
// samples, and its failure is stored as such (sent 0, with the reason).

export interface ProbeHost {
  id: string;
  name: string;
  regionId: string;
  address: string;
  port: number;
  username: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs one command on a host over its pooled SSH connection. `command` is a complete, quoted shell
 * line; `argv` is the same command unquoted, for an executor that quotes argv itself.
 */
export type ProbeExec = (host: ProbeHost, command: string, argv: readonly string[]) => Promise<ExecResult>;

interface HostRoundResult {
  hostId: string;
  hostName: string;
  error: string | null;
  samples: number;
  failedSamples: number;
}

export interface ProbeRoundResult {
  at: Date;
  targets: number;
  hosts: HostRoundResult[];
}

export interface RunProbeRoundOptions {
  prisma: PrismaClient;
  exec: ProbeExec;
  now?: Date;
  /** Probe every enabled target, not only the ones whose interval has elapsed. */
  force?: boolean;
  /** How many hosts are probed at once. */
  concurrency?: number;
  /** Per-host limit; defaults to the script's own worst case plus 15 s. */
  hostTimeoutMs?: number;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

async function probeHost(
  host: ProbeHost,
  targets: LatencyTarget[],
  opts: RunProbeRoundOptions & { timeoutMs: number },
): Promise<Measurement[][]> {
  const { command, argv, nonce } = buildProbeScript({ targets });
  const perTarget = (fn: (t: LatencyTarget, i: number) => Measurement[]) => targets.map(fn);
  const failAll = (reason: string) =>
    perTarget((t) => [...(t.icmp ? [failedMeasurement("ICMP", reason)] : []), ...(t.tcp ? [failedMeasurement("TCP", reason)] : [])]);
  let result: ExecResult;
  try {
    result = await withTimeout(opts.exec(host, command, argv), opts.timeoutMs);
  } catch (err) {
    return failAll(`host unreachable: ${sanitizeForReason(err instanceof Error ? err.message : String(err))}`);
  }
  if (!result.stdout.includes(`SKJOLD-PROBE 1 ${nonce}`)) {
    const why = sanitizeForReason(result.stderr.split("\n").find((l) => l.trim()) ?? `exit ${result.code}`);
    return failAll(`the probe script did not run on the host: ${why}`);
  }
  const outcomes = parseProbeOutput({ stdout: result.stdout, nonce, targets });
  return perTarget((_, i) => outcomes.filter((o) => o.targetIndex === i).map((o) => o.measurement));
}

async function runPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

export async function runProbeRound(opts: RunProbeRoundOptions): Promise<ProbeRoundResult> {
  const at = opts.now ?? new Date();
  const { prisma } = opts;
  const targets = await dueTargets({ prisma, now: at, force: opts.force ?? false });
  const hosts: ProbeHost[] = await prisma.host.findMany({
    where: { status: "ONLINE" },
    select: { id: true, name: true, regionId: true, address: true, port: true, username: true },
    orderBy: { name: "asc" },
  });
  if (targets.length === 0) return { at, targets: 0, hosts: [] };
  const maxCount = Math.max(...targets.map((t) => t.count));
  const timeoutMs = opts.hostTimeoutMs ?? (maxCount * PROBE_SPACING_SEC + PROBE_TIMEOUT_SEC) * 2000 + 15_000;
  const results: HostRoundResult[] = [];

  await runPool(hosts, opts.concurrency ?? 16, async (host) => {
    const entry: HostRoundResult = { hostId: host.id, hostName: host.name, error: null, samples: 0, failedSamples: 0 };
    results.push(entry);
    try {
      const perTarget = await probeHost(host, targets, { ...opts, timeoutMs });
      const rows = perTarget.flatMap((ms, i) =>
        ms.map((m) => ({
          hostId: host.id,
          regionId: host.regionId,
          targetId: targets[i]!.id,
          method: m.method,
          at,
          sent: m.sent,
          received: m.received,
          rttsMs: m.rttsMs,
          medianMs: median(m.rttsMs),
          error: m.error,
        })),
      );
      await prisma.latencySample.createMany({ data: rows });
      entry.samples = rows.length;
      entry.failedSamples = rows.filter((r) => r.received === 0).length;
      entry.error = rows.find((r) => r.sent === 0)?.error ?? null;
    } catch (err) {
      entry.error = `could not store samples: ${sanitizeForReason(err instanceof Error ? err.message : String(err))}`;
    }
  });
  return { at, targets: targets.length, hosts: results.sort((a, b) => a.hostName.localeCompare(b.hostName)) };
}
